import { describe, expect, it, vi } from "vitest";
import { authorizeGithub, authorizeGoogle } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { signInTraces } from "../../test/vitest/account-snapshot";
import { storedRow } from "../../test/vitest/stored-row";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { listConnectedAccounts, unlinkAccount } from "../connected-accounts";
import { findProvider, getConfiguredProviders, signsIn } from "../providers";
import { confirmsWithProvider, reverificationFactor } from "./reverification";
import { decideSignIn } from "./sign-in-policy";

// No browser, no link started: the sign-in policy sees a plain sign-in.
vi.mock("./account-flow-cookie", () => ({ takeAccountFlow: async () => ({ started: false }) }));

const stack = sandboxAndDatabaseForThisFile();

/** GitHub, marked for connecting only in this file's process (as a GitHub App for repositories would be). */
function githubForConnectingOnly() {
  const github = findProvider(getConfiguredProviders(), "github")!;
  github.connectOnly = true;
  return github;
}

describe("a provider for connecting only", () => {
  it("never signs anyone in: refused before any user is found, made or joined", async () => {
    const github = githubForConnectingOnly();
    expect(signsIn(github)).toBe(false);
    const identity = { email: "someone@example.com", provider: "github", providerAccountId: "connect-only-1" };
    const before = await signInTraces(stack.db(), identity);
    const decision = await decideSignIn(
      {
        provider: github,
        account: { provider: "github", providerAccountId: identity.providerAccountId, type: "oauth" },
        profile: { email: identity.email },
        user: { email: identity.email },
      },
      async () => null,
    );
    expect(decision).toBe("/sign-in?error=connect_only");
    expect(await signInTraces(stack.db(), identity)).toEqual(before);
  });

  it("its account is no way to sign in: not counted by the last-method guard, nor by Confirm it's you", async () => {
    const github = githubForConnectingOnly();
    const google = await linkedUser(
      stack.db(),
      "google",
      await authorizeGoogle(stack.sandbox().url, { email: "connect-only@example.com" }),
    );
    const repositories = await linkedUser(
      stack.db(),
      "github",
      await authorizeGithub(stack.sandbox().url, { email: "connect-only@example.com" }),
      google.userId,
    );

    const accounts = await listConnectedAccounts(google.userId);
    expect(accounts.map(({ provider, canSignIn }) => ({ provider, canSignIn }))).toEqual([
      { provider: "google", canSignIn: true },
      { provider: "github", canSignIn: false },
    ]);

    const factor = await reverificationFactor(google.userId);
    expect(confirmsWithProvider(factor, "google")).toBe(true);
    expect(confirmsWithProvider(factor, github.id)).toBe(false);

    // Google is the only way to sign in, though a second account is linked.
    const googleRow = await storedRow(stack.db(), google.providerAccountId);
    expect(await unlinkAccount(google.userId, googleRow.id)).toMatchObject({
      ok: false,
      error: { code: "last_sign_in_method" },
    });
    const githubRow = await storedRow(stack.db(), repositories.providerAccountId);
    expect(await unlinkAccount(google.userId, githubRow.id)).toMatchObject({ ok: true, provider: "github" });
  });
});
