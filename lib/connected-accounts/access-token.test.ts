import { randomUUID } from "node:crypto";
import type { Account } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle, googleApi, refreshGoogle } from "../../sandbox/test-client";
import { runTokenStorm } from "../../scripts/lib/token-storm";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { storedRow } from "../../test/vitest/stored-row";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { findProvider, getConfiguredProviders } from "../providers";
import { getAccessToken } from "./access-token";
import { connectAuthorizationParams } from "./connect";
import { accountSet, type AccountWrite } from "./account-columns";
import { accountHealth, listConnectedAccounts } from "./list";
import { readLeasedRow, refreshAccessToken } from "./refresh";
import { openTokenColumn } from "./sealed-tokens";
import { unlinkAccount } from "./unlink";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const stack = sandboxAndDatabaseForThisFile();

describe("getAccessToken", () => {
  it("returns the stored token while it is valid, without calling the provider", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "fresh@example.com" });
    const { userId } = await linkedUser(stack.db(), "google", tokens);
    const result = await getAccessToken(userId, { provider: "google" });
    expect(result).toMatchObject({ ok: true, accessToken: tokens.access_token });
    expect(await stack.control().refreshRequests()).toEqual({ google: 0, github: 0 });
  });

  it("carries the account's profile as its card shows it, for the token endpoint's label", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "profile@example.com" });
    const { userId } = await linkedUser(stack.db(), "google", tokens);
    const profile = {
      email: "profile@example.com",
      displayName: "Ada Lovelace",
      avatarUrl: "https://example.com/a.png",
    };
    await stack.db().account.updateMany({ where: { userId }, data: profile });
    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true, ...profile });
  });

  it("the refresh's raw read of the row gives what Prisma's read gives, and whether a lease is live", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "raw-read@example.com" });
    const { providerAccountId } = await linkedUser(stack.db(), "google", tokens);
    const row = await storedRow(stack.db(), providerAccountId);
    expect(await readLeasedRow(row.id)).toEqual({ ...row, leaseLive: false });
    await stack.db()
      .$executeRaw`UPDATE "Account" SET "refreshLeaseId" = 'test', "refreshLeaseUntil" = now() + interval '1 minute' WHERE id = ${row.id}`;
    expect(await readLeasedRow(row.id)).toMatchObject({ refreshLeaseId: "test", leaseLive: true });
  });

  it("the refresh's raw write stores what Prisma's update stores, every column it writes", async () => {
    const accounts = await Promise.all(
      ["raw-write@example.com", "prisma-write@example.com"].map(async (email) => {
        const tokens = await authorizeGoogle(stack.sandbox().url, { email });
        const { providerAccountId } = await linkedUser(stack.db(), "google", tokens);
        return storedRow(stack.db(), providerAccountId);
      }),
    );
    const [raw, prisma] = accounts as [Account, Account];
    await stack.db().$executeRaw`
      UPDATE "Account" SET "refreshLeaseId" = 'lease', "refreshLeaseUntil" = now(), "sweepRetryAt" = now()
      WHERE id IN (${raw.id}, ${prisma.id})`;
    const write = {
      access_token: "a",
      refresh_token: "r",
      id_token: "i",
      expires_at: 1_900_000_000,
      refresh_token_expires_at: null,
      token_type: "Bearer",
      scope: "openid email",
      session_state: "s",
      authorization_details: [{ type: "account_information", actions: ["read"] }],
      grantedScopes: ["openid", "email"],
      status: "needs_reconnect",
      refreshFailures: 3,
      sweepRetryAt: null,
      refreshLeaseId: null,
      refreshLeaseUntil: new Date("2030-01-02T03:04:05.678Z"),
    } satisfies Required<AccountWrite>;
    await stack.db().$executeRaw`UPDATE "Account" SET ${accountSet(write)} WHERE id = ${raw.id}`;
    await stack.db().account.update({ where: { id: prisma.id }, data: { ...write, version: { increment: 1 } } });

    const read = (account: Account) => stack.db().account.findUniqueOrThrow({ where: { id: account.id } });
    const [rawAfter, prismaAfter] = [await read(raw), await read(prisma)];
    const differing = ["id", "userId", "providerAccountId", "email", "createdAt", "updatedAt"] as const;
    const comparable = (row: Account) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => !differing.includes(key as never)));
    expect(comparable(rawAfter)).toEqual(comparable(prismaAfter));
    expect(rawAfter).toMatchObject({ version: raw.version + 1, authorization_details: write.authorization_details });
    expect(rawAfter.updatedAt.getTime()).toBeGreaterThan(raw.updatedAt.getTime());
    // Both stamp UTC wall time: Prisma by the app's clock, the raw write by the database's.
    expect(Math.abs(rawAfter.updatedAt.getTime() - prismaAfter.updatedAt.getTime())).toBeLessThan(60_000);
  });

  it("with two accounts of one provider: the oldest by default, the one named by providerAccountId", async () => {
    const first = await authorizeGoogle(stack.sandbox().url, { email: "first-of-two@example.com" });
    const { userId, providerAccountId: firstId } = await linkedUser(stack.db(), "google", first);
    const second = await authorizeGoogle(stack.sandbox().url, { email: "second-of-two@example.com" });
    const { providerAccountId: secondId } = await linkedUser(stack.db(), "google", second, userId);

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: true,
      accessToken: first.access_token,
      providerAccountId: firstId,
    });
    expect(await getAccessToken(userId, { provider: "google", providerAccountId: secondId })).toMatchObject({
      ok: true,
      accessToken: second.access_token,
      providerAccountId: secondId,
    });
  });

  it("callers in one process at once share one read, and each still gets its own answer", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "shared-read@example.com" });
    const { userId } = await linkedUser(stack.db(), "google", tokens);
    const [plain, needsDrive] = await Promise.all([
      getAccessToken(userId, { provider: "google" }),
      getAccessToken(userId, { provider: "google", scopes: [DRIVE] }),
    ]);
    expect(plain).toMatchObject({ ok: true, accessToken: tokens.access_token });
    expect(needsDrive).toMatchObject({ ok: false, error: { code: "missing_scopes", missingScopes: [DRIVE] } });
  });

  it("200 concurrent callers in 4 processes on an expired token: exactly one refresh, one shared token", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, {
      email: "storm@example.com",
      scope: `openid email ${DRIVE}`,
    });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");

    const outcomes = await runTokenStorm({ env: {}, userId, provider: "google", processes: 4, callersPerProcess: 50 });

    expect(outcomes).toHaveLength(200);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
    const distinct = new Set(outcomes.map((outcome) => (outcome.ok ? outcome.token : "")));
    expect(distinct.size).toBe(1);
    expect(await stack.control().refreshRequests()).toEqual({ google: 1, github: 0 });
    const [token] = distinct;
    expect(token).not.toBe(tokens.access_token);
    expect((await googleApi(stack.sandbox().url, "/drive/v3/files", token!)).status).toBe(200);

    const row = await storedRow(stack.db(), providerAccountId);
    // Google sends no new refresh token: the stored one is kept.
    expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe(tokens.refresh_token);
    expect(row.refreshedAt).not.toBeNull();
  }, 60_000);

  it("rotating refresh tokens (GitHub App) under the same storm: nobody is logged out, the newest is stored", async () => {
    const tokens = await authorizeGithub(stack.sandbox().url, { email: "rotating@example.com" });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "github", tokens);
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "github");

    const outcomes = await runTokenStorm({ env: {}, userId, provider: "github", processes: 4, callersPerProcess: 50 });

    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
    expect(await stack.control().refreshRequests()).toEqual({ google: 0, github: 1 });
    const row = await storedRow(stack.db(), providerAccountId);
    const storedRefresh = openTokenColumn(row, "refresh_token", row.refresh_token)!;
    expect(storedRefresh).not.toBe(tokens.refresh_token);
    expect(row.status).toBe("active");

    // The stored refresh token is the live one: the next refresh works.
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "github");
    const next = await getAccessToken(userId, { provider: "github" });
    expect(next.ok).toBe(true);
  }, 60_000);

  it("invalid_grant → reconnect_required, the account is marked, nothing else is lost", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "revoked@example.com" });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
    await stack.control().refreshMode("google", "invalid_grant");

    const result = await getAccessToken(userId, { provider: "google" });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "reconnect_required", reconnectUrl: "/settings/connected-accounts?connect=google" },
    });
    const row = await storedRow(stack.db(), providerAccountId);
    expect(row.status).toBe("needs_reconnect");
    expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe(tokens.refresh_token);

    // Later calls answer from the stored status without asking the provider again.
    await stack.control().refreshMode("google", "normal");
    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required" },
    });
    expect((await stack.control().refreshRequests()).google).toBe(1);
  });

  it.each(["error_500", "hang"] as const)(
    "provider %s → provider_unavailable with tokens untouched, then success once it recovers",
    async (mode) => {
      const tokens = await authorizeGoogle(stack.sandbox().url, { email: `${mode}@example.com` });
      const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
      await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
      const before = await storedRow(stack.db(), providerAccountId);
      await stack.control().refreshMode("google", mode);

      const started = Date.now();
      const failed = await getAccessToken(userId, { provider: "google" });
      expect(failed).toMatchObject({ ok: false, error: { code: "provider_unavailable" } });
      expect(Date.now() - started).toBeLessThan(15_000); // bounded by the 10 s provider timeout
      const after = await storedRow(stack.db(), providerAccountId);
      expect(after).toMatchObject({ status: "active", version: before.version, access_token: before.access_token });

      await stack.control().refreshMode("google", "normal");
      const recovered = await getAccessToken(userId, { provider: "google" });
      expect(recovered.ok).toBe(true);
    },
    30_000,
  );

  it("missing scopes: the missing list and a URL that asks for exactly them", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "scopes@example.com" });
    const { userId } = await linkedUser(stack.db(), "google", tokens);
    const result = await getAccessToken(userId, { provider: "google", scopes: ["email", DRIVE] });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "missing_scopes",
        missingScopes: [DRIVE],
        reconnectUrl: `/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(DRIVE)}`,
      }),
    });
  });

  it("not_linked for a provider the user has not linked, and for someone else's account", async () => {
    const alice = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "owner-a@example.com" }),
    );
    const bob = await linkedUser(
      stack.db(),
      "github",
      await authorizeGithub(stack.sandbox().url, { email: "owner-b@example.com" }),
    );
    expect(await getAccessToken(bob.userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "not_linked" },
    });
    expect(
      await getAccessToken(bob.userId, { provider: "google", providerAccountId: alice.providerAccountId }),
    ).toMatchObject({ ok: false, error: { code: "not_linked" } });
  });
});

describe("unlinkAccount", () => {
  it("refuses the last sign-in method and someone else's account; otherwise deletes and revokes", async () => {
    const googleTokens = await authorizeGoogle(stack.sandbox().url, { email: "unlink@example.com" });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "google", googleTokens);
    const googleRow = await storedRow(stack.db(), providerAccountId);
    expect(await unlinkAccount(userId, googleRow.id)).toMatchObject({
      ok: false,
      error: { code: "last_sign_in_method" },
    });

    const githubTokens = await authorizeGithub(stack.sandbox().url, { email: "unlink@example.com" });
    const github = await linkedUser(stack.db(), "github", githubTokens, userId);
    const stranger = await stack.db().user.create({ data: { email: `${randomUUID()}@example.com` } });
    expect(await unlinkAccount(stranger.id, googleRow.id)).toMatchObject({ ok: false, error: { code: "not_found" } });

    expect(await unlinkAccount(userId, googleRow.id)).toEqual({
      ok: true,
      provider: "google",
      revocation: { ok: true },
    });
    expect(await stack.db().account.count({ where: { userId } })).toBe(1);
    const refresh = await refreshGoogle(stack.sandbox().url, googleTokens.refresh_token!);
    expect(refresh.status).toBe(400); // revoked at the provider

    const githubRow = await storedRow(stack.db(), github.providerAccountId);
    expect(await unlinkAccount(userId, githubRow.id)).toMatchObject({
      ok: false,
      error: { code: "last_sign_in_method" },
    });
  });

  it("GitHub unlink revokes the grant at GitHub", async () => {
    const google = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "gh-unlink@example.com" }),
    );
    const tokens = await authorizeGithub(stack.sandbox().url, { email: "gh-unlink@example.com" });
    const github = await linkedUser(stack.db(), "github", tokens, google.userId);
    const row = await storedRow(stack.db(), github.providerAccountId);
    expect(await unlinkAccount(google.userId, row.id)).toMatchObject({ ok: true, revocation: { ok: true } });
    const user = await fetch(`${stack.sandbox().url}/github/api/v3/user`, {
      headers: { authorization: `token ${tokens.access_token}` },
    });
    expect(user.status).toBe(401);
  });
});

describe("a caller that joins a refresh already in flight", () => {
  it("gets a new token when it brought one the provider rejected, even if the refresh it joined kept that one", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "joiner@example.com" });
    const { providerAccountId } = await linkedUser(stack.db(), "google", tokens);
    const row = await storedRow(stack.db(), providerAccountId);
    const google = findProvider(getConfiguredProviders(), "google")!;

    // The first caller finds the stored token still valid; the second was just told 401 for it.
    const [first, second] = await Promise.all([
      refreshAccessToken(row, google),
      refreshAccessToken(row, google, { rejectedAccessToken: tokens.access_token }),
    ]);
    expect(first).toMatchObject({ ok: true, token: { accessToken: tokens.access_token } });
    expect(second.ok && second.token.accessToken).not.toBe(tokens.access_token);
    expect(second.ok).toBe(true);
    expect(await stack.control().refreshRequests()).toEqual({ google: 1, github: 0 });
  });
});

describe("a token that no listed key opens (the key was dropped too early)", () => {
  const LOST = "enc:v1:dropped-key:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  it("is a typed reconnect, shows as needs reconnect, asks for consent on Reconnect, and unlink still works", async () => {
    const google = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "lost-key@example.com" }),
    );
    await linkedUser(
      stack.db(),
      "github",
      await authorizeGithub(stack.sandbox().url, { email: "lost-key@example.com" }),
      google.userId,
    );
    await stack.db().account.updateMany({
      where: { providerAccountId: google.providerAccountId },
      data: { access_token: LOST, refresh_token: LOST, expires_at: Math.floor(Date.now() / 1000) - 5 },
    });

    expect(await getAccessToken(google.userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required", detail: expect.stringMatching(/dropped-key/) },
    });
    const [summary] = (await listConnectedAccounts(google.userId)).filter((account) => account.provider === "google");
    expect(accountHealth(summary!)).toBe("needs_reconnect");
    const googleProvider = findProvider(getConfiguredProviders(), "google")!;
    expect(await connectAuthorizationParams(google.userId, googleProvider, [])).toMatchObject({ prompt: "consent" });

    const row = await storedRow(stack.db(), google.providerAccountId);
    expect(await unlinkAccount(google.userId, row.id)).toMatchObject({
      ok: true,
      provider: "google",
      revocation: { ok: false },
    });
    expect(await stack.db().account.count({ where: { id: row.id } })).toBe(0);
  });

  it("only the access token unreadable: a refresh replaces it", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "lost-access@example.com" });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
    await stack.db().account.updateMany({ where: { providerAccountId }, data: { access_token: LOST } });
    const result = await getAccessToken(userId, { provider: "google" });
    expect(result.ok).toBe(true);
    expect(await stack.control().refreshRequests()).toEqual({ google: 1, github: 0 });
  });
});

describe("unlinkAccount, more", () => {
  it("counts only sign-in methods configured today: a leftover account of a removed provider does not count", async () => {
    const google = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "leftover@example.com" }),
    );
    await stack.db().account.create({
      data: { userId: google.userId, type: "oauth", provider: "twitter", providerAccountId: randomUUID() },
    });
    const row = await storedRow(stack.db(), google.providerAccountId);
    expect(await unlinkAccount(google.userId, row.id)).toMatchObject({
      ok: false,
      error: { code: "last_sign_in_method" },
    });
  });

  it("GitHub App with an expired access token: refreshes first, since GitHub revokes only with a valid token", async () => {
    const google = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "gh-expired@example.com" }),
    );
    const github = await linkedUser(
      stack.db(),
      "github",
      await authorizeGithub(stack.sandbox().url, { email: "gh-expired@example.com" }),
      google.userId,
    );
    await expireAccessToken(stack.db(), stack.sandbox().url, github.providerAccountId, "github");
    const row = await storedRow(stack.db(), github.providerAccountId);
    expect(await unlinkAccount(google.userId, row.id)).toMatchObject({ ok: true, revocation: { ok: true } });
    const stats = await stack.control().stats();
    expect(stats.revocations.github).toBe(1);
    expect(stats.refreshRequests.github).toBe(1);
  });
});
