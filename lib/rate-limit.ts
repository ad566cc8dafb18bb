import "server-only";
import { Prisma } from "@prisma/client";
import { failure, type Result } from "./result";
import { getDb } from "./db";
import { getEnv } from "./env";

/**
 * What can be done a limited number of times per minute: a user reads tokens from the token
 * endpoint or changes their connected accounts (start a link or re-consent, disconnect); an agent
 * a user authorized calls the MCP server (counted per grant); anyone registers an agent (counted
 * for everyone together: the endpoint is anonymous).
 */
export type RateLimitBucket = "token" | "account_change" | "agent_call" | "agent_registration";

export type RateLimitResult = Result<{ remaining: number }, "rate_limited", { retryAfterSeconds: number }>;

function limitPerMinute(bucket: RateLimitBucket): number {
  const env = getEnv();
  switch (bucket) {
    case "token":
      return env.RATE_LIMIT_TOKEN_PER_MINUTE;
    case "account_change":
      return env.RATE_LIMIT_ACTIONS_PER_MINUTE;
    case "agent_call":
      return env.RATE_LIMIT_AGENT_CALLS_PER_MINUTE;
    case "agent_registration":
      return env.RATE_LIMIT_AGENT_REGISTRATIONS_PER_MINUTE;
  }
}

/** One counted request: the window's count so far, and the seconds left in the window. */
export type RateLimitCount = { count: number; retryAfterSeconds: number };

/**
 * The statement that counts one request in `bucket` for the subject `subject` selects (a query of
 * one text column, of one row or none), returning a RateLimitCount row. The counter lives in
 * PostgreSQL, so the limit holds across every instance of the app. Windows are minutes of the
 * database's clock, not of each instance's (two instances a second apart around a minute boundary
 * would otherwise each start a window of their own), and a stored window is never replaced by an
 * earlier one. Times are UTC, as Prisma stores DateTime columns. It can stand alone or as a CTE of
 * a bigger statement, to count in the same round trip that finds the subject.
 */
export function countRequest(bucket: RateLimitBucket, subject: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "RateLimit" ("key", "windowStart", "count")
    SELECT ${`${bucket}:`} || counted.subject, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1
    FROM (${subject}) AS counted (subject)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN EXCLUDED."windowStart" > "RateLimit"."windowStart" THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = GREATEST("RateLimit"."windowStart", EXCLUDED."windowStart")
    RETURNING "count", ceil(extract(epoch FROM "windowStart" + interval '1 minute' - (now() AT TIME ZONE 'UTC')))::int AS "retryAfterSeconds"`;
}

/** Whether a counted request is within `bucket`'s limit. */
export function withinRateLimit(bucket: RateLimitBucket, counted: RateLimitCount): RateLimitResult {
  const limit = limitPerMinute(bucket);
  if (counted.count <= limit) return { ok: true, remaining: limit - counted.count };
  const retryAfterSeconds = Math.max(1, counted.retryAfterSeconds);
  return failure("rate_limited", `${counted.count} of ${limit} in this minute`, { retryAfterSeconds });
}

/**
 * Counts one request by `subject` (a user id, an agent grant's id, or "anyone") in `bucket` and
 * says whether it is within the limit: one statement.
 */
export async function takeRateLimit(subject: string, bucket: RateLimitBucket): Promise<RateLimitResult> {
  const [counted] = await getDb().$queryRaw<RateLimitCount[]>(
    countRequest(bucket, Prisma.sql`SELECT ${subject}::text`),
  );
  return withinRateLimit(bucket, counted ?? { count: 1, retryAfterSeconds: 60 });
}
