import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new code or token: 256 random bits, with a prefix that says what it is in a log or a leak scan. */
export function newSecret(prefix: "agc" | "aga" | "agr"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** What the database keeps of a code or token: its SHA-256, never the value. */
export function secretHash(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** An id that is not a secret (grants, token families, registered clients). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}

/** PKCE S256 (RFC 7636): BASE64URL(SHA256(verifier)) equals the challenge, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
