import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for OAuth tokens at rest. A stored value looks like
 *   enc:v2:<keyId>:<iv>:<ciphertext+16-byte tag>     (base64url parts)
 * The key id selects one of several keys, so keys can be rotated: the first key in
 * TOKEN_ENCRYPTION_KEY encrypts, every listed key decrypts. The associated data (the caller's
 * `context`) binds a ciphertext to where it is stored: a token copied elsewhere does not decrypt.
 * `enc:v1:` values, written before the context named the user, still decrypt (see sealed-tokens).
 */
export type TokenKeyring = { current: { id: string; key: Buffer }; all: ReadonlyMap<string, Buffer> };

export type CiphertextVersion = "v1" | "v2";
const CURRENT_VERSION: CiphertextVersion = "v2";
const TAG_BYTES = 16;

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

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

export function isEncrypted(value: string): boolean {
  return ciphertextVersion(value) !== undefined;
}

/** Which format a stored value is in, or undefined for plaintext. */
export function ciphertextVersion(value: string): CiphertextVersion | undefined {
  if (value.startsWith("enc:v2:")) return "v2";
  if (value.startsWith("enc:v1:")) return "v1";
  return undefined;
}

/** Is `stored` sealed in the current format with the current key (nothing for a rotation to do)? */
export function isSealedWithCurrentKey(keyring: TokenKeyring, stored: string): boolean {
  return stored.startsWith(`enc:${CURRENT_VERSION}:${keyring.current.id}:`);
}

export function encryptToken(keyring: TokenKeyring, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `enc:${CURRENT_VERSION}:${keyring.current.id}:${iv.toString("base64url")}:${body.toString("base64url")}`;
}

export function decryptToken(keyring: TokenKeyring, stored: string, context: string): string {
  if (!isEncrypted(stored)) throw new TokenDecryptionError("stored token is not encrypted");
  const [, , keyId = "", ivText = "", bodyText = ""] = stored.split(":");
  const key = keyring.all.get(keyId);
  if (!key) {
    throw new TokenDecryptionError(
      `token was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEY no longer lists; add it back to decrypt`,
    );
  }
  const body = Buffer.from(bodyText, "base64url");
  const altered = (cause?: unknown) =>
    new TokenDecryptionError(`token does not decrypt with key "${keyId}" (wrong key, or the value was altered)`, { cause });
  // A shorter tag would be accepted by GCM and is far easier to forge: only the full 16 bytes count.
  if (body.length < TAG_BYTES) throw altered();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw altered(cause);
  }
}
