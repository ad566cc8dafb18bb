import "server-only";
import { getEnv } from "../env";
import { decryptToken, encryptToken, parseKeyring, type TokenKeyring } from "./token-crypto";

export const TOKEN_COLUMNS = ["access_token", "refresh_token", "id_token"] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];
export type AccountKey = { provider: string; providerAccountId: string };

let keyring: TokenKeyring | undefined;

function currentKeyring(): TokenKeyring {
  keyring ??= parseKeyring(getEnv().TOKEN_ENCRYPTION_KEY);
  return keyring;
}

export function currentKeyId(): string {
  return currentKeyring().current.id;
}

function context(account: AccountKey, column: TokenColumn): string {
  return `${account.provider}:${account.providerAccountId}:${column}`;
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
    if (typeof value === "string") sealed[column] = encryptToken(ring, value, context(account, column)) as T[TokenColumn];
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
  return stored === null ? null : decryptToken(ring, stored, context(account, column));
}
