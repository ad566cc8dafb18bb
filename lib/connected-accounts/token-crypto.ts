import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for OAuth tokens at rest. A stored value looks like
 *   enc:v1:<keyId>:<iv>:<ciphertext+tag>     (base64url parts)
 * The key id selects one of several keys, so keys can be rotated: the first key in
 * TOKEN_ENCRYPTION_KEY encrypts, every listed key decrypts. The associated data binds a
 * ciphertext to its account and column: a token copied into another row does not decrypt.
 */
export type TokenKeyring = { current: { id: string; key: Buffer }; all: ReadonlyMap<string, Buffer> };

const PREFIX = "enc:v1:";

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

/** Parses `id1:base64key,id2:base64key` (first = current). Each key is 32 random bytes. */
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
  return { current: { id: first[0], key: first[1] }, all: new Map(entries) };
}

export function generateKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function encryptToken(keyring: TokenKeyring, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${keyring.current.id}:${iv.toString("base64url")}:${body.toString("base64url")}`;
}

export function decryptToken(keyring: TokenKeyring, stored: string, context: string): string {
  if (!isEncrypted(stored)) throw new TokenDecryptionError("stored token is not encrypted");
  const [keyId = "", ivText = "", bodyText = ""] = stored.slice(PREFIX.length).split(":");
  const key = keyring.all.get(keyId);
  if (!key) {
    throw new TokenDecryptionError(
      `token was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEY no longer lists; add it back to decrypt`,
    );
  }
  const body = Buffer.from(bodyText, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new TokenDecryptionError(`token does not decrypt with key "${keyId}" (wrong key, or the value was altered)`);
  }
}
