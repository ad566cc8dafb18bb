import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";

/**
 * Small values the server hands out and must get back unchanged (a flow cookie, a continuation
 * link): JSON, signed with HMAC-SHA256 under a key derived from AUTH_SECRET for each purpose, with
 * an expiry. Not encrypted: never put a secret in one.
 */
export type SignedValuePurpose = "account-flow" | "account-change";

function key(purpose: SignedValuePurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", getEnv().AUTH_SECRET, "", `connected-accounts-starter ${purpose}`, 32));
}

function signature(purpose: SignedValuePurpose, payload: string): Buffer {
  return createHmac("sha256", key(purpose)).update(payload).digest();
}

export function signValue(purpose: SignedValuePurpose, value: object, ttlSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ ...value, exp: Math.floor(Date.now() / 1000) + ttlSeconds })).toString(
    "base64url",
  );
  return `${payload}.${signature(purpose, payload).toString("base64url")}`;
}

/** The value, if `token` was signed for this purpose and has not expired; otherwise undefined. */
export function readSignedValue(purpose: SignedValuePurpose, token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== "string" || token.length > 4096) return undefined;
  const [payload = "", mac = "", ...rest] = token.split(".");
  const given = Buffer.from(mac, "base64url");
  const expected = signature(purpose, payload);
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const { exp } = value as { exp?: unknown };
    return typeof exp === "number" && exp > Date.now() / 1000 ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
