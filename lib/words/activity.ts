import { isEventCause, type ConnectionEventType, type EventCause, type UnreadableReason } from "../connected-accounts";
import { scopeLabel, type ProviderDefinition } from "../providers/types";

// Connection events in words on screen (the card's Activity list, Security's Recent activity). A
// grant's end, a refusal or a revocation is stored as a code (`detail.cause`); it becomes words
// here. No part of an event is a token, and the stored `reason` is never shown.

/** What the wording needs of an event (a ConnectionEvent, or its JSON in a webhook). */
export type ActivityEvent = {
  type: ConnectionEventType;
  reason: string | null;
  detail: {
    granted?: readonly string[];
    removed?: readonly string[];
    cause?: unknown;
    agent?: { name?: unknown };
    tool?: unknown;
  } | null;
};

export type ActivityProvider = Pick<ProviderDefinition, "label" | "scopeLabels" | "scopeAliases" | "unusedGrantDays">;

/** What the reconnect words need of a provider: its name, and how long it keeps a grant nobody uses. */
type ReconnectProvider = Pick<ProviderDefinition, "label" | "unusedGrantDays">;

/** One event in plain words: "Access refreshed", "Needs reconnecting: refresh refused". */
export function describeEvent(event: ActivityEvent, provider: ActivityProvider): string {
  const why = (text: string | undefined) => (text ? `: ${text}` : "");
  const cause = causeOf(event);
  switch (event.type) {
    case "connected_account.linked":
      return "Connected";
    case "connected_account.unlinked":
      return cause === "not_revocable"
        ? `Disconnected; ${provider.label} has no way for apps to end their access, so it stays there until you remove the app`
        : "Disconnected";
    case "connected_account.refreshed":
      return "Access refreshed";
    case "connected_account.refresh_failed":
      return `Refresh failed${why(cause && refreshFailureWords(provider.label)[cause])}`;
    case "connected_account.needs_reconnect":
      return `Needs reconnecting${why(cause && reconnectWords(provider)[cause]?.short)}`;
    case "connected_account.recovered":
      return `Working again${why(event.reason === "signed in again" ? "signed in again" : undefined)}`;
    case "connected_account.revoked":
      return `Access revoked at ${provider.label}`;
    case "connected_account.scopes_changed":
      return scopesChanged(event.detail, provider);
    case "security.passkey_added":
      return "Passkey added";
    case "security.passkey_removed":
      return "Passkey removed";
    case "security.passkey_refused":
      return "A passkey was refused: it may have been copied";
    case "security.reverified":
      return ["Confirmed it's you", reverifiedWith(event.reason, provider.label)].filter(Boolean).join(" ");
    case "agent.authorized":
      return `Shared with ${agentName(event)}`;
    case "agent.used":
      return `Used by ${agentName(event)}`;
    case "agent.revoked":
      return `No longer shared with ${agentName(event)}`;
  }
}

/** The agent an agent.* event names (its own words, from its registration), quoted. */
function agentName(event: ActivityEvent): string {
  const name = event.detail?.agent?.name;
  return typeof name === "string" && name !== "" ? `“${name}”` : "an agent";
}

function causeOf(event: ActivityEvent): EventCause | undefined {
  const cause = event.detail?.cause;
  return isEventCause(cause) ? cause : undefined;
}

/** The factor a `security.reverified` event names (its reason), in words. */
function reverifiedWith(reason: string | null, providerLabel: string): string | undefined {
  if (reason === "passkey") return "with a passkey";
  if (reason === "provider-sign-in") return `by signing in to ${providerLabel} again`;
  if (reason === "provider-approval") return `with ${providerLabel} (no new sign-in there)`;
  return undefined;
}

/** Why a refresh failed, when the provider could not be used (the grant itself is kept). */
function refreshFailureWords(provider: string): Partial<Record<EventCause, string>> {
  return {
    provider_unreachable: `${provider} did not answer`,
    provider_error: `${provider} answered with an error`,
    provider_answer_unusable: `${provider}'s answer could not be used`,
  };
}

type ReconnectWords = { short: string; advice: string };

/** Why the account needs the user to reconnect: a few words for the Activity list, and advice for the card. */
function reconnectWords({
  label: provider,
  unusedGrantDays,
}: ReconnectProvider): Partial<Record<EventCause | "key_not_listed", ReconnectWords>> {
  const unusedFor = unusedGrantDays === undefined ? "unused too long" : `unused for ${duration(unusedGrantDays)}`;
  const expiredOrRevoked: ReconnectWords = {
    short: "refresh refused",
    advice: `${provider} no longer accepts this app's access: it was removed, or it expired (${unusedFor}, or ended by ${provider}). Reconnect to continue.`,
  };
  return {
    reauth_required: {
      short: "your organisation asks you to sign in again",
      advice: `Your organisation asks you to sign in to ${provider} again from time to time. Reconnect to continue.`,
    },
    admin_policy_enforced: {
      short: `your administrator blocked this app at ${provider}`,
      advice: `Your organisation's administrator has blocked this app at ${provider}. Reconnecting works once they allow it.`,
    },
    mfa_required: {
      short: `sign in again to ${provider}`,
      advice: `Your organisation now asks for a second sign-in step (multi-factor authentication): sign in again to ${provider}. Reconnect to continue.`,
    },
    consent_required: {
      short: `${provider} asks for your consent again`,
      advice: `${provider} asks you to grant this app's access again (it was withdrawn, or needs an administrator's consent). Grant access to continue.`,
    },
    expired_or_revoked: expiredOrRevoked,
    client_unauthorized: expiredOrRevoked,
    unused: {
      short: unusedFor,
      advice: `${provider} ends access that goes ${unusedFor}. Reconnect to continue.`,
    },
    revoked_at_provider: {
      short: `access revoked at ${provider}`,
      advice: `Access was removed at ${provider}. Reconnect to continue.`,
    },
    account_disabled: {
      short: `${provider} disabled the account`,
      advice: `${provider} disabled this account for its security. Reconnect once it is restored.`,
    },
    account_deleted: { short: `the ${provider} account was deleted`, advice: `This ${provider} account was deleted.` },
    no_refresh_token: {
      short: "access cannot be renewed",
      advice: `${provider} gave no way to renew access. Reconnect to continue.`,
    },
    unreadable: {
      short: "the stored access cannot be read",
      advice: "The stored access cannot be read here. Reconnect to continue.",
    },
    key_not_listed: {
      short: "the stored access was encrypted with a key this server does not have",
      advice: `This app's stored access to this ${provider} account was encrypted with a key this server does not have (its TOKEN_ENCRYPTION_KEY was replaced). Restore the old key in TOKEN_ENCRYPTION_KEY, or reconnect to continue.`,
    },
  };
}

/** 180 days in words: "6 months"; a count that is no whole number of months stays in days. */
function duration(days: number): string {
  return days % 30 === 0 ? `${days / 30} months` : `${days} days`;
}

/** Events after which the grant worked. */
const WORKING: ReadonlySet<string> = new Set(["connected_account.linked", "connected_account.recovered"]);

/**
 * What the card says under *Needs reconnect*: why, and what to do. A stored grant this server
 * cannot read (`unreadable`, from the account list) says so; otherwise the account's latest
 * needs_reconnect event (newest first in `events`) tells.
 */
export function reconnectAdvice(
  events: readonly ActivityEvent[],
  provider: ReconnectProvider,
  unreadable: UnreadableReason | null = null,
): string {
  const words = reconnectWords(provider);
  if (unreadable) return words[unreadable === "key_not_listed" ? "key_not_listed" : "unreadable"]!.advice;
  // The events since the grant last worked: a revocation the provider told us of says more than
  // "expired or revoked", less than a cause of its own (re-authentication, an admin's block).
  const lastWorked = events.findIndex((event) => WORKING.has(event.type));
  const since = lastWorked === -1 ? events : events.slice(0, lastWorked);
  const marked = since.find((event) => event.type === "connected_account.needs_reconnect");
  const revoked = since.some((event) => event.type === "connected_account.revoked");
  const markedFor = marked && causeOf(marked);
  const advised = markedFor && words[markedFor] ? markedFor : undefined;
  const cause = revoked && (!advised || advised === "expired_or_revoked") ? "revoked_at_provider" : advised;
  return cause
    ? words[cause]!.advice
    : `Access to this ${provider.label} account was revoked or has expired. Reconnect to continue.`;
}

function scopesChanged(detail: ActivityEvent["detail"], provider: ActivityProvider): string {
  const words = (scopes: readonly string[] | undefined) =>
    [...new Set((scopes ?? []).map((scope) => scopeLabel(provider, scope) ?? scope))].join(", ");
  const granted = words(detail?.granted);
  const removed = words(detail?.removed);
  const parts = [granted && `Access to ${granted} granted`, removed && `Access to ${removed} removed`].filter(Boolean);
  return parts.length > 0 ? parts.join("; ") : "Access changed";
}

/** An event's tone, for its marker in the list. */
export function eventTone(type: ConnectionEventType): "good" | "bad" | "neutral" {
  if (type === "connected_account.needs_reconnect" || type === "connected_account.revoked") return "bad";
  if (type === "connected_account.refresh_failed" || type === "security.passkey_refused") return "bad";
  if (type === "connected_account.recovered" || type === "connected_account.linked") return "good";
  if (type === "agent.revoked") return "bad";
  return "neutral";
}
