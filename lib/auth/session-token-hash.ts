import "server-only";
import { createHash } from "node:crypto";

/**
 * What the Session table stores for a session cookie: its SHA-256, hex. A database dump then holds
 * nothing that works as a cookie, and the cookie (random, 122 bits) needs no salt or slow hash.
 * prisma/migrations/20261124120000_hash_session_tokens computes the same in SQL.
 */
export function hashSessionToken(sessionToken: string): string {
  return createHash("sha256").update(sessionToken, "utf8").digest("hex");
}
