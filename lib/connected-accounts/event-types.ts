/** Every kind of connection event, as stored and as sent in webhooks (docs/events.md). */
export const CONNECTION_EVENT_TYPES = [
  "connected_account.linked",
  "connected_account.unlinked",
  "connected_account.scopes_changed",
  "connected_account.refreshed",
  "connected_account.refresh_failed",
  "connected_account.needs_reconnect",
  "connected_account.recovered",
  "connected_account.revoked",
  // The user's own security: `accountId` is the passkey's credential ID, or the linked account
  // they confirmed with; `provider` is "passkey" or that account's provider (docs/events.md).
  "security.passkey_added",
  "security.passkey_removed",
  "security.passkey_refused",
  "security.reverified",
] as const;

export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

/** Sent as webhooks unless WEBHOOK_EVENTS says otherwise: all but refreshed, which comes every hour per account. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly ConnectionEventType[] = CONNECTION_EVENT_TYPES.filter(
  (type) => type !== "connected_account.refreshed",
);

export function isConnectionEventType(value: string): value is ConnectionEventType {
  return (CONNECTION_EVENT_TYPES as readonly string[]).includes(value);
}
