import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RefreshMode } from "../../sandbox/state";
import { refreshAt } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { SANDBOX_AUTHORIZE, sandboxName } from "../../test/vitest/sandbox-stand-ins";
import { storedRow } from "../../test/vitest/stored-row";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getAccessToken, listConnectedAccounts, recentEvents, unlinkAccount } from "../connected-accounts";
import { findProvider, getConfiguredProviders, signsIn } from ".";
import { providerRegistry } from "./registry";

// The behaviours every provider shares, run against each registered provider through its sandbox
// stand-in: a provider is in this suite by being in the registry (and having a stand-in,
// test/vitest/sandbox-stand-ins.ts). A timeout ("hang") costs the provider timeout of 10 s each,
// so it is checked once, for Google, in lib/connected-accounts/access-token.test.ts.

const stack = sandboxAndDatabaseForThisFile();

describe.each(providerRegistry.map((provider) => [provider.label, provider] as const))("%s", (_label, provider) => {
  const id = provider.id;
  const authorize = SANDBOX_AUTHORIZE[id];
  if (!authorize) {
    it.skip("has no sandbox stand-in (test/vitest/sandbox-stand-ins.ts)", () => {});
    return;
  }
  const linked = async () => {
    const email = `${id}-${randomUUID()}@example.com`;
    const tokens = await authorize(stack.sandbox().url, email);
    return { tokens, ...(await linkedUser(stack.db(), id, tokens)) };
  };
  const name = sandboxName(id);
  const expire = (providerAccountId: string) =>
    expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, name);
  // Entra and the generic issuer are counted apart from Google and GitHub (issuerStats).
  const refreshes = async () =>
    name === "microsoft" || name === "oidc"
      ? (await stack.control().issuerStats())[name].refreshRequests
      : (await stack.control().refreshRequests())[name];
  const withMode = async (mode: RefreshMode) => stack.control().refreshMode(name, mode);

  it("links, hands out the stored token, and refreshes it once each time it expires (rotated or not)", async () => {
    const { tokens, userId, providerAccountId } = await linked();
    expect(await getAccessToken(userId, { provider: id })).toMatchObject({
      ok: true,
      accessToken: tokens.access_token,
    });
    expect(await refreshes()).toBe(0);

    for (const round of [1, 2]) {
      await expire(providerAccountId);
      const renewed = await getAccessToken(userId, { provider: id });
      expect(renewed.ok && renewed.accessToken !== tokens.access_token).toBe(true);
      expect(await refreshes()).toBe(round);
    }
  });

  it("invalid_grant: reconnect_required, the account marked, a needs_reconnect event with its cause", async () => {
    const { userId, providerAccountId } = await linked();
    await withMode("invalid_grant");
    await expire(providerAccountId);
    expect(await getAccessToken(userId, { provider: id })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required" },
    });
    const [account] = await listConnectedAccounts(userId);
    expect(account).toMatchObject({ provider: id, status: "needs_reconnect" });
    const events = (await recentEvents(userId)).get(account!.id) ?? [];
    expect(events.find((event) => event.type === "connected_account.needs_reconnect")?.detail).toMatchObject({
      cause: "expired_or_revoked",
    });
  });

  it.each(["error_500", "junk"] as const)(
    "%s: provider_unavailable, the grant kept, and the token renewed once the provider answers",
    async (mode) => {
      const { userId, providerAccountId } = await linked();
      await withMode(mode);
      await expire(providerAccountId);
      expect(await getAccessToken(userId, { provider: id })).toMatchObject({
        ok: false,
        error: { code: "provider_unavailable" },
      });
      expect((await listConnectedAccounts(userId))[0]).toMatchObject({ status: "active" });
      await withMode("normal");
      expect(await getAccessToken(userId, { provider: id })).toMatchObject({ ok: true });
    },
  );

  it("Disconnect ends the grant at the provider, or says plainly that it cannot", async () => {
    const first = await linked();
    const second = await authorize(stack.sandbox().url, `${id}-${randomUUID()}@example.com`);
    await linkedUser(stack.db(), id, second, first.userId); // another way to sign in, so the first can go
    if (!signsIn(provider)) {
      // An account for connecting only is no way to sign in: the user signs in with Google.
      const google = await SANDBOX_AUTHORIZE.google!(stack.sandbox().url, `google-${randomUUID()}@example.com`);
      await linkedUser(stack.db(), "google", google, first.userId);
    }
    const row = await storedRow(stack.db(), first.providerAccountId);
    const unlinked = await unlinkAccount(first.userId, row.id);
    // As configured here: a discovered issuer without a revocation endpoint cannot revoke.
    const configured = findProvider(getConfiguredProviders(), id)!;
    if (configured.revocation.token === "none") {
      expect(unlinked).toMatchObject({ ok: true, revocation: { ok: false } });
      return;
    }
    expect(unlinked).toMatchObject({ ok: true, revocation: { ok: true } });
    // The old refresh token no longer works at the provider's token endpoint.
    expect(first.tokens.refresh_token, "a stand-in that issues a refresh token").toEqual(expect.any(String));
    const auth = configured.clientAuthentication === "client_secret_basic" ? "basic" : "post";
    const refusal = await refreshAt(configured.urls.token, String(first.tokens.refresh_token), provider.sandboxClient, {
      auth,
    });
    const answer = (await refusal.json()) as { access_token?: string; error?: string };
    expect(answer.access_token).toBeUndefined();
    expect(answer.error).toBeTruthy();
  });
});
