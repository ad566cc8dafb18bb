// Outbound webhooks (docs/events.md#webhooks): connection events sent to WEBHOOK_URL, signed the
// Standard Webhooks way, from the WebhookDelivery outbox that lib/connected-accounts/events.ts fills.
export { requeueWebhooks, undeliveredWebhooks, type DeliveryListing } from "./admin";
export { webhookBody, type WebhookBody, type WebhookEvent } from "./body";
export {
  DELIVERY_LEASE_SECONDS,
  DELIVERY_TIMEOUT_MS,
  deliverWebhooks,
  MAX_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
  webhookTarget,
  type DeliverOptions,
  type DeliverReport,
} from "./deliver";
export { generateWebhookSecret } from "./secret";
