import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle, type TokenAnswer } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { googleDriveFiles, googleProfile, googleUser } from "../../test/vitest/google-user";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { google } from "../providers/google";
import { describeEvent, reconnectAdvice } from "../words/activity";
import { getAccessToken } from "./access-token";
import { changeWithEvents, onConnectionEvent, recentEvents, webhookEventTypes, type ConnectionEvent } from "./events";
import { recordSignIn } from "./record-sign-in";
import { unlinkAccount } from "./unlink";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const METADATA = "https://www.googleapis.com/auth/drive.metadata.readonly";
const stack = sandboxAndDatabaseForThisFile();

const heard: ConnectionEvent[] = [];
let stopListening = onConnectionEvent((event) => void heard.push(event));
afterEach(() => {
  heard.length = 0;
});

/** The account's events, oldest first, as types with their reasons. */
async function storedEvents(accountId: string) {
  const events = await stack.db().connectionEvent.findMany({ where: { accountId }, orderBy: { seq: "asc" } });
  return events.map(({ type, reason, detail }) => ({ type, reason, detail }));
}

const types = async (accountId: string) => (await storedEvents(accountId)).map((event) => event.type);

describe("connection events", () => {
  it("linked, then refreshed when a request renews the token; nothing for a token handed out as is", async () => {
    const { userId, providerAccountId, accountId } = await googleUser(stack, "events-linked@example.com");
    const [linked] = await storedEvents(accountId);
    expect(linked).toMatchObject({ type: "connected_account.linked", detail: { removed: [] } });
    expect((linked!.detail as { granted: string[] }).granted).toContain("openid");

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
    expect(await types(accountId)).toEqual(["connected_account.linked"]);

    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
    expect(await types(accountId)).toEqual(["connected_account.linked", "connected_account.refreshed"]);
    expect(heard.map((event) => event.type)).toEqual(["connected_account.linked", "connected_account.refreshed"]);
    expect(heard[1]).toMatchObject({ userId, accountId, provider: "google", createdAt: expect.any(Date) });
  });

  it("scopes granted at a new consent, and recovered when a marked account signs in again", async () => {
    const { userId, providerAccountId, accountId } = await googleUser(stack, "events-consent@example.com");
    await stack.db().account.update({ where: { id: accountId }, data: { status: "needs_reconnect" } });
    const more = await authorizeGoogle(stack.sandbox().url, {
      email: "events-consent@example.com",
      scope: `openid email profile ${DRIVE}`,
    });
    await recordSignIn(
      stack.db(),
      { provider: "google", providerAccountId, ...more, token_type: "bearer" } as Parameters<typeof recordSignIn>[1],
      {},
    );
    const events = await storedEvents(accountId);
    expect(events.slice(1)).toEqual([
      { type: "connected_account.scopes_changed", reason: "consent", detail: { granted: [DRIVE], removed: [] } },
      { type: "connected_account.recovered", reason: "signed in again", detail: null },
    ]);
    expect(heard.slice(-2).map((event) => event.userId)).toEqual([userId, userId]);
  });

  it("a grant revoked at the provider: revoked and needs_reconnect, in words without a token", async () => {
    const { userId, accountId, tokens } = await googleUser(stack, "events-revoked@example.com");
    await stack.control().revoke({ email: "events-revoked@example.com" });
    expect(await googleProfile(stack, userId)).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    const events = await storedEvents(accountId);
    expect(events.map((event) => event.type)).toEqual([
      "connected_account.linked",
      "connected_account.revoked",
      "connected_account.needs_reconnect",
    ]);
    expect(events[2]!.reason).toMatch(/^refresh refused: /);
    expectNoTokens(await stack.db().connectionEvent.findMany({ where: { accountId } }), tokens);
  });

  it("an expired token whose grant is gone: needs_reconnect only (nothing says it was revoked)", async () => {
    const { userId, providerAccountId, accountId } = await googleUser(stack, "events-expired@example.com");
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
    await stack.control().refreshMode("google", "invalid_grant");
    try {
      expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: false });
    } finally {
      await stack.control().refreshMode("google", "normal");
    }
    expect(await types(accountId)).toEqual(["connected_account.linked", "connected_account.needs_reconnect"]);
  });

  it("an account marked during a refresh stays marked: the provider's late answer does not revive it", async () => {
    const { userId, providerAccountId, accountId } = await googleUser(stack, "events-marked-midway@example.com");
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
    await stack.control().refreshMode("google", "slow", { delayMs: 1000 });
    try {
      const refreshing = getAccessToken(userId, { provider: "google" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // What a provider's revocation notice does (lib/connected-accounts/provider-notices.ts).
      await changeWithEvents(async (tx, record) => {
        await tx.account.update({
          where: { id: accountId },
          data: { status: "needs_reconnect", version: { increment: 1 } },
        });
        record({ type: "connected_account.needs_reconnect", userId, accountId, provider: "google", reason: "notice" });
      });
      expect(await refreshing).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    } finally {
      await stack.control().refreshMode("google", "normal");
    }
    expect(await stack.db().account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      status: "needs_reconnect",
      refreshLeaseId: null,
    });
    expect(await types(accountId)).toEqual(["connected_account.linked", "connected_account.needs_reconnect"]);
  });

  it("unlinked: the event outlives the account", async () => {
    const google = await googleUser(stack, "events-unlink@example.com");
    const github = await authorizeGithub(stack.sandbox().url, { email: "events-unlink@example.com" });
    await linkedUser(stack.db(), "github", github, google.userId);
    expect(await unlinkAccount(google.userId, google.accountId)).toMatchObject({ ok: true });
    expect(await types(google.accountId)).toEqual(["connected_account.linked", "connected_account.unlinked"]);
    const recent = await recentEvents(google.userId);
    expect(recent.get(google.accountId)?.map((event) => event.type)).toEqual([
      "connected_account.unlinked",
      "connected_account.linked",
    ]);
  });

  it("are written with the change or not at all, and handlers hear only what committed", async () => {
    const { accountId, userId } = await googleUser(stack, "events-rollback@example.com");
    heard.length = 0;
    const failing = changeWithEvents(async (tx, record) => {
      await tx.account.update({ where: { id: accountId }, data: { displayName: "never stored" } });
      record({ type: "connected_account.scopes_changed", userId, accountId, provider: "google" });
      throw new Error("the change failed after recording its event");
    });
    await expect(failing).rejects.toThrow("the change failed");
    expect(await types(accountId)).toEqual(["connected_account.linked"]);
    expect(heard).toEqual([]);
    expect(await stack.db().account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      displayName: null,
    });

    // An event that cannot be written (no such user) takes the change down with it.
    const orphan = changeWithEvents(async (tx, record) => {
      await tx.account.update({ where: { id: accountId }, data: { displayName: "never stored either" } });
      record({ type: "connected_account.refreshed", userId: "no-such-user", accountId, provider: "google" });
    });
    await expect(orphan).rejects.toThrow();
    expect(await stack.db().account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      displayName: null,
    });
  });

  it("a handler that throws is logged and never fails the change; the others still hear it", async () => {
    const { accountId, userId } = await googleUser(stack, "events-handler@example.com");
    const stopThrowing = onConnectionEvent(() => {
      throw new Error("handler bug");
    });
    stopListening();
    stopListening = onConnectionEvent((event) => void heard.push(event));
    try {
      heard.length = 0;
      await changeWithEvents(async (_tx, record) =>
        record({ type: "connected_account.refresh_failed", userId, accountId, provider: "google", reason: "test" }),
      );
    } finally {
      stopThrowing();
    }
    expect(heard.map((event) => event.type)).toEqual(["connected_account.refresh_failed"]);
    expect(await types(accountId)).toContain("connected_account.refresh_failed");
  });
});

/** No stored event mentions any token of `tokens`. */
function expectNoTokens(events: unknown[], tokens: TokenAnswer) {
  const text = JSON.stringify(events, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
  for (const key of ["access_token", "refresh_token", "id_token"] as const) {
    const token = tokens[key];
    if (typeof token === "string") expect(text).not.toContain(token);
  }
}

describe("a scope Google no longer honours", () => {
  it("a 403 insufficient_scope for a scope on record: the record forgets it, with a scopes_changed event", async () => {
    const { userId, accountId } = await googleUser(stack, "events-withdrawn@example.com");
    // The record says Drive was granted; Google's grant does not have it (access removed at Google).
    await stack.db().account.update({ where: { id: accountId }, data: { grantedScopes: { push: METADATA } } });
    expect(await googleDriveFiles(stack, userId, [METADATA])).toMatchObject({
      ok: false,
      error: { code: "missing_scopes" },
    });
    const row = await stack.db().account.findUniqueOrThrow({ where: { id: accountId } });
    expect(row.grantedScopes).not.toContain(METADATA);
    expect((await storedEvents(accountId)).at(-1)).toMatchObject({
      type: "connected_account.scopes_changed",
      detail: { granted: [], removed: [METADATA] },
    });
  });
});

describe("events stored before causes were codes", () => {
  it("the migration reads the old prose once: an old-style row reads as it did", async () => {
    const { userId, accountId } = await googleUser(stack, "events-old-style@example.com");
    const old = async (id: string, type: string, reason: string) =>
      stack.db().$executeRaw`
        INSERT INTO "ConnectionEvent" (id, type, "userId", "accountId", provider, reason, "createdAt")
        VALUES (${id}, ${type}, ${userId}, ${accountId}, 'google', ${reason}, now() + interval '1 minute')`;
    await old("evt_old_failed", "connected_account.refresh_failed", "token endpoint answered 503");
    await old("evt_old_revoked", "connected_account.revoked", "Google says the refresh token was revoked");
    await old("evt_old_marked", "connected_account.needs_reconnect", "refresh refused: invalid_grant (invalid_rapt)");
    const migration = readFileSync(
      new URL("../../prisma/migrations/20261206180000_event_causes/migration.sql", import.meta.url),
      "utf8",
    );
    await stack.db().$executeRawUnsafe(migration);

    const events = (await recentEvents(userId)).get(accountId)!;
    const byId = (id: string) => events.find((event) => event.id === id)!;
    expect(byId("evt_old_failed").detail).toEqual({ cause: "provider_error" });
    expect(byId("evt_old_revoked").detail).toEqual({ cause: "revoked_at_provider" });
    expect(byId("evt_old_marked").detail).toEqual({ cause: "reauth_required" });
    expect(describeEvent(byId("evt_old_failed"), google)).toBe("Refresh failed: Google answered with an error");
    expect(describeEvent(byId("evt_old_marked"), google)).toBe(
      "Needs reconnecting: your organisation asks you to sign in again",
    );
    expect(reconnectAdvice(events, google)).toMatch(/organisation asks you to sign in to Google again/);
    expect(byId("evt_old_marked").reason).toBe("refresh refused: invalid_grant (invalid_rapt)"); // kept for logs
  });
});

describe("which events are sent as webhooks", () => {
  it("every type but refreshed by default; WEBHOOK_EVENTS names them, and an unknown name is an environment error", () => {
    expect(webhookEventTypes(undefined)).not.toContain("connected_account.refreshed");
    expect(webhookEventTypes(undefined)).toContain("connected_account.needs_reconnect");
    expect(webhookEventTypes(["connected_account.refreshed", "connected_account.revoked"])).toEqual([
      "connected_account.refreshed",
      "connected_account.revoked",
    ]);
    expect(() => webhookEventTypes(["connected_account.revoked", "account.deleted", "token.leaked"])).toThrow(
      /^Invalid environment: WEBHOOK_EVENTS names unknown event types: account\.deleted, token\.leaked\./,
    );
  });
});
