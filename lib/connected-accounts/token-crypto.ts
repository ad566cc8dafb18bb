import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { TokenKeyring } from "../token-keyring";

/**
 * AES-256-GCM for OAuth tokens at rest. A stored value looks like
 *   enc:v2:<keyId>:<iv>:<ciphertext+16-byte tag>     (base64url parts)
 * The key id selects one of several keys, so keys can be rotated: the first key in
 * TOKEN_ENCRYPTION_KEY encrypts, every listed key decrypts. The associated data (the caller's
 * `context`) binds a ciphertext to where it is stored: a token copied elsewhere does not decrypt.
 * `enc:v1:` values, written before the context named the user, still decrypt (see sealed-tokens).
 */
export type CiphertextVersion = "v1" | "v2";
const CURRENT_VERSION: CiphertextVersion = "v2";
const TAG_BYTES = 16;

/**
 * Why a stored token does not open: its key is not listed here (TOKEN_ENCRYPTION_KEY was replaced,
 * e.g. a deleted .env.local made a new one), the listed key does not open it, or it is plaintext.
 */
export type UnreadableReason = "key_not_listed" | "does_not_open" | "not_encrypted";

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
  readonly reason: UnreadableReason;
  constructor(reason: UnreadableReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
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
  if (!isEncrypted(stored)) throw new TokenDecryptionError("not_encrypted", "stored token is not encrypted");
  const [, , keyId = "", ivText = "", bodyText = ""] = stored.split(":");
  const key = keyring.all.get(keyId);
  if (!key) {
    throw new TokenDecryptionError(
      "key_not_listed",
      `token was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEY no longer lists; add it back to decrypt`,
    );
  }
  const body = Buffer.from(bodyText, "base64url");
  const altered = (cause?: unknown) =>
    new TokenDecryptionError(
      "does_not_open",
      `token does not decrypt with key "${keyId}" (wrong key, or the value was altered)`,
      {
        cause,
      },
    );
  // A shorter tag would be accepted by GCM and is far easier to forge: only the full 16 bytes count.
  if (body.length < TAG_BYTES) throw altered();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch (cause) {
    throw altered(cause);
  }
}
