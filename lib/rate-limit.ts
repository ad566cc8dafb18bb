import "server-only";
import { getDb } from "./db";
import { getEnv } from "./env";

/**
 * What a user can do a limited number of times per minute: read tokens from the token endpoint,
 * and change their connected accounts (start a link or re-consent, disconnect).
 */
export type RateLimitBucket = "token" | "account_change";

export type RateLimitOutcome = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

function limitPerMinute(bucket: RateLimitBucket): number {
  const env = getEnv();
  return bucket === "token" ? env.RATE_LIMIT_TOKEN_PER_MINUTE : env.RATE_LIMIT_ACTIONS_PER_MINUTE;
}

/**
 * Counts one request by `userId` in `bucket` and says whether it is within the limit. The counter
 * lives in PostgreSQL, so the limit holds across every instance of the app: one upsert per call.
 */
export async function takeRateLimit(userId: string, bucket: RateLimitBucket, now = Date.now()): Promise<RateLimitOutcome> {
  const windowStart = new Date(now - (now % WINDOW_MS));
  const [row] = await getDb().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${`${bucket}:${userId}`}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "count"`;
  const limit = limitPerMinute(bucket);
  const count = row?.count ?? 1;
  if (count <= limit) return { ok: true, remaining: limit - count };
  return { ok: false, retryAfterSeconds: Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 1000) };
}
