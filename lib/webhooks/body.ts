import { isEventCause, type ConnectionEventType, type EventCause } from "../connected-accounts";

/** A stored connection event, as much of it as a webhook carries. */
export type WebhookEvent = {
  id: string;
  type: string;
  userId: string;
  accountId: string;
  provider: string;
  reason: string | null;
  detail: unknown;
  createdAt: Date;
};

/** The JSON body of a webhook (docs/events.md#webhooks). Never a token: ids, names and our own words. */
export type WebhookBody = {
  type: ConnectionEventType;
  /** When the event happened (ISO 8601), not when this attempt was sent. */
  timestamp: string;
  data: {
    accountId: string;
    userId: string;
    provider: string;
    /** Our own words, for logs and people; not for branching on. */
    reason?: string;
    /** Why, as a code (EventCause): needs_reconnect, revoked and refresh_failed, when known. */
    cause?: EventCause;
    /** connected_account.scopes_changed only. */
    scopes?: { granted: string[]; removed: string[] };
    /** agent.* only: the agent (its client id and its own name), and for agent.used the tool. */
    agent?: { clientId: string; name: string };
    tool?: string;
  };
};

/**
 * The body of `event`'s webhook, built from the stored row alone, so every attempt sends the same
 * bytes. Fields are picked one by one: whatever else `detail` holds never leaves.
 */
export function webhookBody(event: WebhookEvent): string {
  const data: WebhookBody["data"] = { accountId: event.accountId, userId: event.userId, provider: event.provider };
  if (event.reason !== null) data.reason = event.reason;
  const cause = (event.detail as { cause?: unknown } | null)?.cause;
  if (isEventCause(cause)) data.cause = cause;
  if (event.type === "connected_account.scopes_changed") {
    const detail = (event.detail ?? {}) as { granted?: unknown; removed?: unknown };
    data.scopes = { granted: strings(detail.granted), removed: strings(detail.removed) };
  }
  if (event.type.startsWith("agent.")) {
    const detail = (event.detail ?? {}) as { agent?: { clientId?: unknown; name?: unknown }; tool?: unknown };
    const { clientId, name } = detail.agent ?? {};
    if (typeof clientId === "string" && typeof name === "string") data.agent = { clientId, name };
    if (typeof detail.tool === "string") data.tool = detail.tool;
  }
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
