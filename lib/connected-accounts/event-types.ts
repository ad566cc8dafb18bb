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
  // An agent (MCP client) and a connected account: `accountId` and `provider` are the account's,
  // `detail.agent` the agent's name and client id (docs/agents.md). `used` is written at most once
  // a minute per agent and account.
  "agent.authorized",
  "agent.used",
  "agent.revoked",
] as const;

export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

/** Sent as webhooks unless WEBHOOK_EVENTS says otherwise: all but refreshed, which comes every hour per account. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly ConnectionEventType[] = CONNECTION_EVENT_TYPES.filter(
  (type) => type !== "connected_account.refreshed",
);

export function isConnectionEventType(value: string): value is ConnectionEventType {
  return (CONNECTION_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Why an account needs reconnecting or was revoked, or why a refresh failed: a code, stored in the
 * event's `detail.cause` and sent in its webhook as `data.cause` (docs/events.md). Their words are
 * in lib/words.
 */
export const EVENT_CAUSES = [
  // The provider refused the refresh token for good (GrantEndReason, lib/connected-accounts/provider-grants.ts).
  "expired_or_revoked",
  "reauth_required",
  "admin_policy_enforced",
  "client_unauthorized",
  "mfa_required",
  "consent_required",
  /** expired_or_revoked after our record shows the grant unused that long, or the provider said so itself. */
  "unused",
  // The provider told us on its own (a provider notice, docs/provider-notices.md), or rejected an
  // unexpired access token and then refused the refresh token.
  "revoked_at_provider",
  "account_disabled",
  "account_deleted",
  // Our own record.
  "no_refresh_token",
  "unreadable",
  // A refresh that failed with the grant kept.
  "provider_unreachable",
  "provider_error",
  "provider_answer_unusable",
  // Unlinked at a provider that has no revocation endpoint: its access lives on there until the user removes it.
  "not_revocable",
] as const;

export type EventCause = (typeof EVENT_CAUSES)[number];

export function isEventCause(value: unknown): value is EventCause {
  return typeof value === "string" && (EVENT_CAUSES as readonly string[]).includes(value);
}
