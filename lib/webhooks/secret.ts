import { randomBytes } from "node:crypto";

/** A new WEBHOOK_SECRET: "whsec_" and 32 random bytes in base64, as Standard Webhooks libraries expect. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
