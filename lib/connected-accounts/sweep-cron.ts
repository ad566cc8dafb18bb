import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "../env";
import { log } from "../log";
import { answeringDatabaseOutages, jsonResponse } from "./http";
import { sweepDueAccounts } from "./sweep";

/** The cron route claims accounts for this long; refreshes under way then finish within the provider timeout. */
const CRON_CLAIM_MS = 45_000;

/**
 * GET /api/cron/sweep, for hosts without a long-running process (Vercel Cron sends
 * `Authorization: Bearer $CRON_SECRET`). Off (404) while CRON_SECRET is unset.
 */
export const cronSweep = answeringDatabaseOutages(async (request: Request): Promise<Response> => {
  const env = getEnv();
  if (!env.CRON_SECRET) {
    return jsonResponse(
      { error: { code: "not_found", message: "The cron route is off: CRON_SECRET is not set." } },
      404,
    );
  }
  if (!sameSecret(request.headers.get("authorization") ?? "", `Bearer ${env.CRON_SECRET}`)) {
    return jsonResponse({ error: { code: "unauthorized", message: "Send Authorization: Bearer <CRON_SECRET>." } }, 401);
  }
  const report = await sweepDueAccounts({
    marginSeconds: env.SWEEP_MARGIN_MINUTES * 60,
    deadline: Date.now() + CRON_CLAIM_MS,
  });
  if (report.claimed > 0) log.info("sweep.done", { counts: report });
  return jsonResponse({ data: report });
});

/** Compares in constant time (digests, so the lengths match). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
