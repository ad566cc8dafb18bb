import { randomBytes } from "node:crypto";
import type pg from "pg";

/**
 * In SQL, what the Session table stores for the session cookie in `parameter`: its SHA-256, hex,
 * as lib/auth/session-token-hash.ts computes it and the migration that introduced it does.
 */
export const storedSessionToken = (parameter: string) => `encode(sha256(convert_to(${parameter}, 'UTF8')), 'hex')`;

/** Signs `userId` in without a browser: a Session row valid for `days`, and the cookie value that opens it. */
export async function insertSession(client: pg.Client, userId: string, days = 1): Promise<string> {
  const sessionToken = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "Session" (id, "sessionToken", "userId", expires, "updatedAt")
     VALUES ($1, ${storedSessionToken("$2")}, $3, now() + make_interval(days => $4::int), now())`,
    [randomBytes(8).toString("hex"), sessionToken, userId, days],
  );
  return sessionToken;
}
