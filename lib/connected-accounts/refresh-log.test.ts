import { describe, expect, it } from "vitest";
import { authorizeGoogle } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { loggedRecords } from "../../test/vitest/capture-logs";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getAccessToken } from "./access-token";
import { generateKeyEntry, parseKeyring } from "../token-keyring";
import { google } from "../providers/google";
import { reconnectAdvice } from "../words/activity";
import { listConnectedAccounts } from "./list";
import { sealTokenColumns } from "./sealed-tokens";

const stack = sandboxAndDatabaseForThisFile();

/** Everything the app logged in this test, as text, causes and their stacks included. */
function loggedText(): string {
  return loggedRecords()
    .map((record) => record.text)
    .join("\n");
}

/** Our own warnings and errors: each record's text. */
function records(): string[] {
  return loggedRecords()
    .filter((record) => record.level !== "info")
    .map((record) => record.text);
}

async function expiredGoogleAccount(email: string) {
  const tokens = await authorizeGoogle(stack.sandbox().url, { email });
  const linked = await linkedUser(stack.db(), "google", tokens);
  await expireAccessToken(stack.db(), stack.sandbox().url, linked.providerAccountId, "google");
  const row = await stack.db().account.findFirstOrThrow({ where: { providerAccountId: linked.providerAccountId } });
  return { tokens, userId: linked.userId, accountId: row.id };
}

describe("failed refreshes leave one record, and never a token", () => {
  it("a revoked grant: the account is marked, on record with its ids and the provider's reason", async () => {
    const { tokens, userId, accountId } = await expiredGoogleAccount("log-revoked@example.com");
    await stack.control().refreshMode("google", "invalid_grant");

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required" },
    });

    const text = loggedText();
    expect(text).toMatch(/^warn account\.marked_needs_reconnect provider=google /m);
    expect(text).toContain(`accountId=${accountId} userId=${userId}`);
    expect(text).toContain(`reason="refresh refused: invalid_grant"`);
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token);
    expect(records()).toHaveLength(1);
  });

  it("a provider answering 500: provider_unavailable on record, one line", async () => {
    const { tokens, userId, accountId } = await expiredGoogleAccount("log-500@example.com");
    await stack.control().refreshMode("google", "error_500");

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "provider_unavailable" },
    });

    expect(records()).toEqual([
      `warn token.refresh_failed provider=google accountId=${accountId} userId=${userId} code=provider_unavailable reason="token endpoint answered 500 internal_failure"`,
    ]);
    const text = loggedText();
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token);
  });

  it("a refresh token that no longer decrypts: the record keeps the decryption error's cause", async () => {
    const { tokens, userId, accountId } = await expiredGoogleAccount("log-altered@example.com");
    const row = await stack.db().account.findUniqueOrThrow({ where: { id: accountId } });
    const sealed = row.refresh_token!;
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "BB" : "AA"}`;
    await stack.db().account.update({ where: { id: accountId }, data: { refresh_token: altered } });

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required" },
    });

    expect(records()).toHaveLength(1);
    const [line, ...cause] = records()[0]!.split("\n");
    expect(line).toMatch(
      /^warn token\.refresh_failed provider=google .* code=reconnect_required reason="the stored refresh token cannot be read: token does not decrypt/,
    );
    // The decryption error, with the cipher's own error behind it.
    expect(cause.join("\n")).toMatch(/^TokenDecryptionError: token does not decrypt[^]*unable to authenticate data/);
    const text = loggedText();
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token);
  });
});

describe("a grant sealed with a key this server does not list (TOKEN_ENCRYPTION_KEY replaced)", () => {
  it("is one line with no stack, and the account list names that cause", async () => {
    const { tokens, userId, accountId } = await expiredGoogleAccount("log-key-gone@example.com");
    const row = await stack.db().account.findUniqueOrThrow({ where: { id: accountId } });
    const otherKey = parseKeyring(generateKeyEntry("kgone"));
    const sealed = sealTokenColumns(
      row,
      { refresh_token: tokens.refresh_token!, access_token: tokens.access_token },
      otherKey,
    );
    await stack.db().account.update({ where: { id: accountId }, data: sealed });

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({
      ok: false,
      error: { code: "reconnect_required" },
    });
    expect(records()).toEqual([expect.stringMatching(/which TOKEN_ENCRYPTION_KEY no longer lists[^\n]*$/)]); // no stack

    const [listed] = (await listConnectedAccounts(userId)).filter((account) => account.id === accountId);
    expect(listed).toMatchObject({ status: "needs_reconnect", unreadable: "key_not_listed" });
    expect(reconnectAdvice([], google, listed!.unreadable)).toMatch(
      /encrypted with a key this server does not have .*Restore the old key in TOKEN_ENCRYPTION_KEY, or reconnect/,
    );
  });
});
