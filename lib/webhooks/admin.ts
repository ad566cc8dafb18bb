import "server-only";
import { getDb } from "../db";

/** A delivery as `npm run webhooks` shows it. */
export type DeliveryListing = {
  eventId: string;
  type: string;
  status: "pending" | "failed";
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** For a pending delivery; a failed one is not tried again unless requeued. */
  nextAttemptAt: Date | null;
};

/** Deliveries not (yet) delivered, failed first, then by their next attempt; at most `limit`. */
export function undeliveredWebhooks(limit = 100): Promise<DeliveryListing[]> {
  return getDb().$queryRaw<DeliveryListing[]>`
    SELECT delivery."eventId", event.type, delivery.status::text AS status, delivery.attempts, delivery."lastError",
      delivery."lastAttemptAt", CASE WHEN delivery.status = 'pending' THEN delivery."nextAttemptAt" END AS "nextAttemptAt"
    FROM "WebhookDelivery" AS delivery JOIN "ConnectionEvent" AS event ON event.id = delivery."eventId"
    WHERE delivery.status <> 'delivered'
    ORDER BY delivery.status DESC, delivery."nextAttemptAt", event.seq
    LIMIT ${limit}`;
}

/**
 * Makes deliveries due now with a fresh set of attempts: one (by event id) that failed or is still
 * pending, or every failed one. A delivered one is left alone (its receiver has it). Returns the
 * event ids requeued. An attempt under way keeps its lease; the requeued delivery waits for it.
 */
export async function requeueWebhooks(which: { eventId: string } | "all-failed"): Promise<string[]> {
  const rows =
    which === "all-failed"
      ? await getDb().$queryRaw<{ eventId: string }[]>`
          UPDATE "WebhookDelivery" SET status = 'pending', attempts = 0, "nextAttemptAt" = now()
          WHERE status = 'failed'
          RETURNING "eventId"`
      : await getDb().$queryRaw<{ eventId: string }[]>`
          UPDATE "WebhookDelivery" SET status = 'pending', attempts = 0, "nextAttemptAt" = now()
          WHERE "eventId" = ${which.eventId} AND status <> 'delivered'
          RETURNING "eventId"`;
  return rows.map((row) => row.eventId);
}
