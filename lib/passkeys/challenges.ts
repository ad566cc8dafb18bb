import "server-only";
import { getDb } from "../db";
import type { SignedInUser } from "../auth/require-user";

export type ChallengePurpose = "register" | "confirm";

// Long enough to find a security key and touch it; the browser's own timeout is the same.
export const CHALLENGE_TTL_SECONDS = 5 * 60;

/**
 * Keeps `challenge` server-side for this session and purpose (a new one replaces the last), with
 * its expiry on the database's clock. Expired ones of abandoned ceremonies go at the same time.
 */
export async function saveChallenge(user: SignedInUser, purpose: ChallengePurpose, challenge: string): Promise<void> {
  const db = getDb();
  await db.$executeRaw`DELETE FROM "PasskeyChallenge" WHERE "expiresAt" < now()`;
  await db.$executeRaw`
    INSERT INTO "PasskeyChallenge" ("sessionId", purpose, "userId", challenge, "expiresAt")
    VALUES (${user.sessionId}, ${purpose}, ${user.id}, ${challenge}, now() + make_interval(secs => ${CHALLENGE_TTL_SECONDS}))
    ON CONFLICT ("sessionId", purpose) DO UPDATE
      SET "userId" = EXCLUDED."userId", challenge = EXCLUDED.challenge, "expiresAt" = EXCLUDED."expiresAt"`;
}

/**
 * The challenge this session's user was given for `purpose`, taken so it answers once: deleted in
 * the same statement that reads it, so two answers at once cannot both have it. Undefined when
 * there is none, it has expired, or it was given to another user or session.
 */
export async function takeChallenge(user: SignedInUser, purpose: ChallengePurpose): Promise<string | undefined> {
  const rows = await getDb().$queryRaw<{ challenge: string; live: boolean }[]>`
    DELETE FROM "PasskeyChallenge"
    WHERE "sessionId" = ${user.sessionId} AND purpose = ${purpose} AND "userId" = ${user.id}
    RETURNING challenge, "expiresAt" > now() AS live`;
  return rows[0]?.live ? rows[0].challenge : undefined;
}
