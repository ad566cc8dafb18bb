import "server-only";
import { failure, type Result } from "../result";
import { getEnv } from "../env";
import { parseKeyring, type TokenKeyring } from "../token-keyring";
import {
  ciphertextVersion,
  decryptToken,
  encryptToken,
  TokenDecryptionError,
  type UnreadableReason,
} from "./token-crypto";

export const TOKEN_COLUMNS = ["access_token", "refresh_token", "id_token"] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];
/** Where a token is stored: it is sealed to this user, account and column. */
export type AccountKey = { userId: string; provider: string; providerAccountId: string };

let keyring: TokenKeyring | undefined;

export function currentKeyring(): TokenKeyring {
  keyring ??= parseKeyring(getEnv().TOKEN_ENCRYPTION_KEY);
  return keyring;
}

/**
 * The associated data of a sealed token. It names the user, so an account row moved to another
 * user (by someone with write access to the database) carries tokens that no longer open.
 * `enc:v1:` values were sealed before the user was part of it.
 */
function context(account: AccountKey, column: TokenColumn, stored?: string): string {
  const where = `${account.provider}:${account.providerAccountId}:${column}`;
  return stored !== undefined && ciphertextVersion(stored) === "v1" ? where : `${account.userId}:${where}`;
}

/** Encrypts the token columns present in `columns`; undefined stays undefined (= keep stored). */
export function sealTokenColumns<T extends Partial<Record<TokenColumn, string | undefined>>>(
  account: AccountKey,
  columns: T,
  ring: TokenKeyring = currentKeyring(),
): T {
  const sealed = { ...columns };
  for (const column of TOKEN_COLUMNS) {
    const value = columns[column];
    if (typeof value === "string")
      sealed[column] = encryptToken(ring, value, context(account, column)) as T[TokenColumn];
  }
  return sealed;
}

/** Decrypts one stored token column; throws TokenDecryptionError with a readable reason. */
export function openTokenColumn(
  account: AccountKey,
  column: TokenColumn,
  stored: string | null,
  ring: TokenKeyring = currentKeyring(),
): string | null {
  return stored === null ? null : decryptToken(ring, stored, context(account, column, stored));
}

/** A stored token, opened, or why it cannot be: a token no listed key opens counts as no token. */
export type OpenedToken = Result<
  { token: string | null },
  "unreadable",
  { reason: UnreadableReason; cause: TokenDecryptionError }
>;

export function tryOpenTokenColumn(account: AccountKey, column: TokenColumn, stored: string | null): OpenedToken {
  try {
    return { ok: true, token: openTokenColumn(account, column, stored) };
  } catch (error) {
    if (!(error instanceof TokenDecryptionError)) throw error;
    return failure("unreadable", error.message, { reason: error.reason, cause: error });
  }
}

/** The stored token, or null when there is none or no listed key opens it. */
export function readableToken(account: AccountKey, column: TokenColumn, stored: string | null): string | null {
  const opened = tryOpenTokenColumn(account, column, stored);
  return opened.ok ? opened.token : null;
}
