import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { deliverWebhooks, webhookTarget } from "@/lib/webhooks";
import { answeringDatabaseOutages, jsonResponse } from "@/lib/http";
import { sweepDueAccounts } from "@/lib/connected-accounts";

/**
 * Within the route's 60 s: the sweep claims accounts for 30 s, then webhooks are claimed until 45 s;
 * refreshes and deliveries under way finish within their 10 s timeouts.
 */
const CRON_SWEEP_MS = 30_000;
const CRON_CLAIM_MS = 45_000;

/**
 * GET /api/cron/sweep, for hosts without a long-running process (Vercel Cron sends
 * `Authorization: Bearer $CRON_SECRET`): the sweep, then the webhooks that are due (when
 * WEBHOOK_URL is set). Off (404) while CRON_SECRET is unset.
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
  const started = Date.now();
  const report = await sweepDueAccounts({
    marginSeconds: env.SWEEP_MARGIN_MINUTES * 60,
    deadline: started + CRON_SWEEP_MS,
  });
  if (report.claimed > 0) log.info("sweep.done", { counts: report });
  if (!webhookTarget()) return jsonResponse({ data: report });
  const webhooks = await deliverWebhooks({ deadline: started + CRON_CLAIM_MS });
  if (webhooks.claimed > 0) log.info("webhooks.done", { counts: webhooks });
  return jsonResponse({ data: { ...report, webhooks } });
});

/** Compares in constant time (digests, so the lengths match). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
