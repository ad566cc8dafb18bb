import "server-only";
import { Webhook } from "standardwebhooks";
import { workThroughClaims } from "../claimed-work";
import { getDb } from "../db";
import { getEnv } from "../env";
import { log } from "../log";
import { describeError } from "../result";
import { retrying } from "../retrying";
import { webhookBody, type WebhookEvent } from "./body";

/**
 * Seconds to wait after the n-th failed attempt before the next (Standard Webhooks' schedule:
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); past its end, its last entry.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/** After this many attempts a delivery is `failed`: kept, listed by `npm run webhooks`, never sent again unless requeued. */
export const MAX_ATTEMPTS = 8;

/** A claimed delivery is this deliverer's for this long; longer than an attempt can take (timeout + recording it). */
export const DELIVERY_LEASE_SECONDS = 30;

/** How long the receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Deliveries in flight at once in one deliverer. A request holds no database connection. */
const DEFAULT_CONCURRENCY = 10;

/** How long an attempt's outcome is retried while the database is unreachable; then the lease decides. */
const RECORD_RETRY_MS = 10_000;
const RECORD_RETRY_INTERVAL_MS = 200;

export type DeliverOptions = {
  /** No delivery is claimed after this time (ms since the epoch); attempts under way finish. */
  deadline?: number;
  concurrency?: number;
  /** The backoff schedule (seconds after the 1st, 2nd … failed attempt); tests shorten it. */
  retryDelaysSeconds?: readonly number[];
  maxAttempts?: number;
  leaseSeconds?: number;
  timeoutMs?: number;
  /** How long an outcome is retried while the database is unreachable (default 10 s); tests shorten it. */
  recordRetryMs?: number;
};

export type DeliverReport = {
  /** Deliveries this deliverer claimed: each is in exactly one of the counts below. */
  claimed: number;
  /** The receiver answered 2xx. */
  delivered: number;
  /** It did not (or the outcome could not be recorded): sent again later. */
  retrying: number;
  /** It did not, for the last allowed time: status `failed`. */
  failed: number;
};

type ClaimedDelivery = WebhookEvent & { attempts: number; leaseUntil: Date };

/** Where webhooks go and the key they are signed with; undefined while WEBHOOK_URL is unset. */
export function webhookTarget(): { url: string; secret: string } | undefined {
  const env = getEnv();
  return env.WEBHOOK_URL && env.WEBHOOK_SECRET ? { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET } : undefined;
}

/**
 * Sends every webhook that is due, until none is left (or the deadline). Due: pending, its next
 * attempt time passed (on the database's clock), and not claimed by a live lease.
 *
 * Any number of deliverers may run at once: each claims deliveries in batches with a lease
 * (FOR UPDATE SKIP LOCKED), so two never send the same one at once. Delivery is at least once: a
 * deliverer that dies, or cannot record a success, leaves the lease to expire, and the webhook is
 * sent again with the same webhook-id and body; receivers drop repeats by webhook-id.
 */
export async function deliverWebhooks(options: DeliverOptions = {}): Promise<DeliverReport> {
  const report: DeliverReport = { claimed: 0, delivered: 0, retrying: 0, failed: 0 };
  const target = webhookTarget();
  if (!target) return report;
  const { deadline = Number.POSITIVE_INFINITY, concurrency = DEFAULT_CONCURRENCY } = options;
  const settings = {
    retryDelaysSeconds: options.retryDelaysSeconds ?? RETRY_DELAYS_SECONDS,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    timeoutMs: options.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    recordRetryMs: options.recordRetryMs ?? RECORD_RETRY_MS,
    signer: new Webhook(target.secret),
    url: target.url,
  };
  const leaseSeconds = options.leaseSeconds ?? DELIVERY_LEASE_SECONDS;
  report.claimed = await workThroughClaims({
    concurrency,
    deadline,
    claim: (limit) => claimDueDeliveries(limit, leaseSeconds),
    work: (delivery) => deliverOne(delivery, settings, report),
  });
  return report;
}

/**
 * Claims up to `limit` due deliveries, oldest due first, in one statement: the lease is set and the
 * attempt counted before anything is sent, so a deliverer that dies mid-send still uses up an attempt.
 */
async function claimDueDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
  return getDb().$queryRaw<ClaimedDelivery[]>`
    WITH claimed AS (
      UPDATE "WebhookDelivery" AS delivery
      SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}::double precision),
        attempts = delivery.attempts + 1,
        "lastAttemptAt" = now()
      FROM (
        SELECT "eventId" FROM "WebhookDelivery"
        WHERE status = 'pending' AND "nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" <= now())
        ORDER BY "nextAttemptAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE delivery."eventId" = due."eventId"
      RETURNING delivery."eventId", delivery.attempts, delivery."leaseUntil"
    )
    SELECT event.id, event.type, event."userId", event."accountId", event.provider, event.reason, event.detail,
      event."createdAt", claimed.attempts, claimed."leaseUntil"
    FROM claimed JOIN "ConnectionEvent" AS event ON event.id = claimed."eventId"`;
}

type Settings = {
  retryDelaysSeconds: readonly number[];
  maxAttempts: number;
  timeoutMs: number;
  recordRetryMs: number;
  signer: Webhook;
  url: string;
};

async function deliverOne(delivery: ClaimedDelivery, settings: Settings, report: DeliverReport): Promise<void> {
  const error = await send(delivery, settings);
  const fields = { provider: delivery.provider, accountId: delivery.accountId, userId: delivery.userId };
  if (error === undefined) {
    const recorded = await record(delivery, settings, () => markDelivered(delivery));
    if (recorded) report.delivered += 1;
    else report.retrying += 1;
    return;
  }
  const attempt = `${delivery.id} (${delivery.type}), attempt ${delivery.attempts}`;
  if (delivery.attempts >= settings.maxAttempts) {
    await record(delivery, settings, () => markFailed(delivery, error));
    report.failed += 1;
    log.error("webhook.gave_up", { ...fields, code: "webhook_failed", reason: `${attempt}: ${error}; kept as failed` });
    return;
  }
  const schedule = settings.retryDelaysSeconds;
  const delay = schedule[Math.min(delivery.attempts, schedule.length) - 1] ?? 0;
  await record(delivery, settings, () => scheduleRetry(delivery, error, delay));
  report.retrying += 1;
  log.warn("webhook.failed", { ...fields, code: "webhook_failed", reason: `${attempt}: ${error}; next in ${delay} s` });
}

/**
 * POSTs the webhook, signed with the Standard Webhooks scheme. Returns why it failed, in one line
 * (never the receiver's body), or undefined on a 2xx. Redirects are failures, never followed: a
 * signed event must not be carried to wherever a Location header points.
 */
async function send(delivery: ClaimedDelivery, settings: Settings): Promise<string | undefined> {
  const body = webhookBody(delivery);
  const sentAt = new Date();
  try {
    const response = await fetch(settings.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "connected-accounts-webhooks",
        "webhook-id": delivery.id,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": settings.signer.sign(delivery.id, sentAt, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    await response.body?.cancel().catch(() => {}); // the answer's body is not read, only its status
    if (response.status >= 200 && response.status < 300) return undefined;
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      return `HTTP ${response.status || "3xx"}: a redirect, not followed`;
    }
    return `HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${settings.timeoutMs} ms`;
    // fetch says "fetch failed"; the cause says why (ECONNREFUSED, a DNS or TLS error).
    return describeError(error instanceof Error && error.cause !== undefined ? error.cause : error);
  }
}

/**
 * Records an attempt's outcome, retried while the database is unreachable. If it still cannot,
 * the lease runs out and the webhook is sent again: a repeat, never a loss. Returns whether it was recorded.
 */
async function record(delivery: ClaimedDelivery, settings: Settings, write: () => Promise<unknown>): Promise<boolean> {
  const recorded = await retrying(write, { forMs: settings.recordRetryMs, intervalMs: RECORD_RETRY_INTERVAL_MS });
  if (recorded.ok) return true;
  log.warn("webhook.not_recorded", {
    provider: delivery.provider,
    accountId: delivery.accountId,
    userId: delivery.userId,
    reason: `${delivery.id}: the attempt's outcome could not be stored (${describeError(recorded.lastError)}); it is sent again when its lease ends`,
  });
  return false;
}

/** Delivered is final, whoever holds the lease now: the receiver has it. */
function markDelivered(delivery: ClaimedDelivery) {
  return getDb().$executeRaw`
    UPDATE "WebhookDelivery"
    SET status = 'delivered', "deliveredAt" = now(), "leaseUntil" = NULL, "lastError" = NULL
    WHERE "eventId" = ${delivery.id} AND status = 'pending'`;
}

// A failure is recorded only while the lease is still this deliverer's: once it has expired, another
// deliverer may have taken the delivery over, and its outcome wins.
function scheduleRetry(delivery: ClaimedDelivery, error: string, delaySeconds: number) {
  return getDb().$executeRaw`
    UPDATE "WebhookDelivery"
    SET "lastError" = ${error}, "leaseUntil" = NULL, "nextAttemptAt" = now() + make_interval(secs => ${delaySeconds}::double precision)
    WHERE "eventId" = ${delivery.id} AND status = 'pending' AND "leaseUntil" = ${delivery.leaseUntil.toISOString()}::timestamptz`;
}

function markFailed(delivery: ClaimedDelivery, error: string) {
  return getDb().$executeRaw`
    UPDATE "WebhookDelivery"
    SET status = 'failed', "lastError" = ${error}, "leaseUntil" = NULL
    WHERE "eventId" = ${delivery.id} AND status = 'pending' AND "leaseUntil" = ${delivery.leaseUntil.toISOString()}::timestamptz`;
}
