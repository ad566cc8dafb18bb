import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeGoogle } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getAccessToken } from "./access-token";
import { TokenDecryptionError } from "./token-crypto";

const stack = sandboxAndDatabaseForThisFile();
let output: unknown[][];

beforeEach(() => {
  output = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(args));
  }
});
afterEach(() => vi.restoreAllMocks());

/** Everything written to the console, as text, with errors' messages, stacks and causes spelled out. */
function loggedText(): string {
  const text = (value: unknown): string =>
    value instanceof Error
      ? `${value.stack} ${text(value.cause)}`
      : typeof value === "string"
        ? value
        : (JSON.stringify(value) ?? "");
  return output.map((args) => args.map(text).join(" ")).join("\n");
}

/** Our own records (the sandbox writes to the console too). */
function records(): unknown[][] {
  return output.filter(([first]) => typeof first === "string" && /^(warn|error) [a-z_]+\./.test(first));
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

    expect(records().map(([line]) => line)).toEqual([
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
    const [line, cause] = records()[0]!;
    expect(line).toMatch(
      /^warn token\.refresh_failed provider=google .* code=reconnect_required reason="the stored refresh token cannot be read: token does not decrypt/,
    );
    // The decryption error, with the cipher's own error behind it.
    expect(cause).toBeInstanceOf(TokenDecryptionError);
    expect(((cause as Error).cause as Error).message).toMatch(/unable to authenticate data/);
    const text = loggedText();
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token);
  });
});
