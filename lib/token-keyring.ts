import "server-only";
import { randomBytes } from "node:crypto";

/**
 * TOKEN_ENCRYPTION_KEY as data: the keys that seal OAuth tokens at rest (connected-accounts/
 * token-crypto.ts), each under an id a stored token names. Here, apart from the cipher, because
 * lib/env.ts validates the variable and the key scripts generate entries.
 */
export type TokenKeyring = { current: { id: string; key: Buffer }; all: ReadonlyMap<string, Buffer> };

/** Parses `id1:base64key,id2:base64key` (first = current). Each key is 32 random bytes, each id unique. */
export function parseKeyring(value: string): TokenKeyring {
  const entries = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(":");
      const id = part.slice(0, separator);
      const key = Buffer.from(part.slice(separator + 1), "base64");
      if (separator < 1 || !/^[A-Za-z0-9_-]+$/.test(id)) {
        throw new Error(`TOKEN_ENCRYPTION_KEY entries look like "<keyId>:<base64 key>" (got "${part.slice(0, 12)}…")`);
      }
      if (key.length !== 32) throw new Error(`TOKEN_ENCRYPTION_KEY key "${id}" must be 32 bytes (got ${key.length})`);
      return [id, key] as const;
    });
  const [first] = entries;
  if (!first) throw new Error("TOKEN_ENCRYPTION_KEY is empty");
  const all = new Map<string, Buffer>();
  for (const [id, key] of entries) {
    // A stored token names its key by id: with two keys under one id, one of them can never decrypt.
    if (all.has(id)) throw new Error(`TOKEN_ENCRYPTION_KEY lists key id "${id}" twice; give every key its own id`);
    all.set(id, key);
  }
  return { current: { id: first[0], key: first[1] }, all };
}

/** A new key id: the day it was made, and a random part so that two keys made the same day differ. */
export function newKeyId(now = new Date()): string {
  return `k${now.toISOString().slice(0, 10).replaceAll("-", "")}-${randomBytes(4).toString("hex")}`;
}

export function generateKeyEntry(id: string = newKeyId()): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}
