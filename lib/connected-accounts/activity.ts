import { scopeLabel, type ProviderDefinition } from "../providers/types";
import type { ConnectionEventType } from "./event-types";
import type { UnreadableReason } from "./token-crypto";

// The one place connection events become words on screen (the card's Activity list). Reasons are
// stored in our own words for logs and webhooks ("refresh refused: invalid_grant"); here they are
// turned into what a user can act on. No part of an event is a token, and nothing here prints the
// stored reason verbatim except through the mapping below.

/** What the wording needs of an event (a ConnectionEvent, or its JSON in a webhook). */
export type ActivityEvent = {
  type: ConnectionEventType;
  reason: string | null;
  detail: { granted?: readonly string[]; removed?: readonly string[] } | null;
};

export type ActivityProvider = Pick<ProviderDefinition, "label" | "scopeLabels" | "scopeAliases">;

/** One event in plain words: "Access refreshed", "Needs reconnecting: refresh refused". */
export function describeEvent(event: ActivityEvent, provider: ActivityProvider): string {
  const why = (text: string | undefined) => (text ? `: ${text}` : "");
  switch (event.type) {
    case "connected_account.linked":
      return "Connected";
    case "connected_account.unlinked":
      return "Disconnected";
    case "connected_account.refreshed":
      return "Access refreshed";
    case "connected_account.refresh_failed":
      return `Refresh failed${why(refreshFailure(event.reason, provider.label))}`;
    case "connected_account.needs_reconnect":
      return `Needs reconnecting${why(reconnectReason(event.reason, provider.label))}`;
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
  }
}

/** The factor a `security.reverified` event names (its reason), in words. */
function reverifiedWith(reason: string | null, providerLabel: string): string | undefined {
  if (reason === "passkey") return "with a passkey";
  if (reason === "provider-sign-in") return `by signing in to ${providerLabel} again`;
  if (reason === "provider-approval") return `with ${providerLabel} (no new sign-in there)`;
  return undefined;
}

/** Why a refresh failed, when the provider could not be used (the grant itself is kept). */
function refreshFailure(reason: string | null, providerLabel: string): string | undefined {
  if (!reason) return undefined;
  if (/unreachable|did not answer|timed? ?out|abort/i.test(reason)) return `${providerLabel} did not answer`;
  if (/answered [45]\d\d/.test(reason)) return `${providerLabel} answered with an error`;
  if (/unusable|unexpected/i.test(reason)) return `${providerLabel}'s answer could not be used`;
  if (/another process/.test(reason)) return "another refresh took too long";
  if (/could not be stored/.test(reason)) return "the new access could not be saved";
  return undefined;
}

/** Why an account was marked needs_reconnect, read from the reason its event was stored with. */
type ReconnectCause =
  | "reauth_required"
  | "admin_policy_enforced"
  | "expired_or_revoked"
  | "unused"
  | "revoked_at_provider"
  | "disabled"
  | "deleted"
  | "no_refresh_token"
  | "unreadable"
  | "key_not_listed";

function reconnectCause(reason: string | null): ReconnectCause | undefined {
  if (!reason) return undefined;
  // The provider's own error codes, which refresh.ts keeps in the reason ("refresh refused: invalid_grant (invalid_rapt)").
  if (reason.startsWith("refresh refused")) {
    if (reason.includes("(invalid_rapt)")) return "reauth_required";
    if (reason.includes("admin_policy_enforced")) return "admin_policy_enforced";
    if (/; unused for \d+ days$/.test(reason)) return "unused";
    return "expired_or_revoked";
  }
  // What the provider told us on its own (Google's RISC events, GitHub's webhook).
  if (reason.startsWith("revoked at ")) return "revoked_at_provider";
  if (/ disabled the account/.test(reason)) return "disabled";
  if (/ deleted the account/.test(reason)) return "deleted";
  if (reason === "no refresh token stored") return "no_refresh_token";
  if (reason.includes("cannot be read")) return "unreadable";
  return undefined;
}

/** Why the account needs the user to reconnect, in a few words for the Activity list. */
function reconnectReason(reason: string | null, providerLabel: string): string | undefined {
  const cause = reconnectCause(reason);
  return cause && causeWords(providerLabel)[cause].short;
}

function causeWords(provider: string): Record<ReconnectCause, { short: string; advice: string }> {
  return {
    reauth_required: {
      short: "your organisation asks you to sign in again",
      advice: `Your organisation asks you to sign in to ${provider} again from time to time. Reconnect to continue.`,
    },
    admin_policy_enforced: {
      short: `your administrator blocked this app at ${provider}`,
      advice: `Your organisation's administrator has blocked this app at ${provider}. Reconnecting works once they allow it.`,
    },
    expired_or_revoked: {
      short: "refresh refused",
      advice: `${provider} no longer accepts this app's access: it was removed, or it expired (unused for 6 months, or ended by ${provider}). Reconnect to continue.`,
    },
    unused: {
      short: "unused for 6 months",
      advice: `${provider} ends access that goes unused for 6 months. Reconnect to continue.`,
    },
    revoked_at_provider: {
      short: `access revoked at ${provider}`,
      advice: `Access was removed at ${provider}. Reconnect to continue.`,
    },
    disabled: {
      short: `${provider} disabled the account`,
      advice: `${provider} disabled this account for its security. Reconnect once it is restored.`,
    },
    deleted: { short: `the ${provider} account was deleted`, advice: `This ${provider} account was deleted.` },
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

/** Events after which the grant worked. */
const WORKING: ReadonlySet<string> = new Set(["connected_account.linked", "connected_account.recovered"]);

/**
 * What the card says under *Needs reconnect*: why, and what to do. A stored grant this server
 * cannot read (`unreadable`, from the account list) says so; otherwise the account's latest
 * needs_reconnect event (newest first in `events`) tells.
 */
export function reconnectAdvice(
  events: readonly ActivityEvent[],
  providerLabel: string,
  unreadable: UnreadableReason | null = null,
): string {
  if (unreadable)
    return causeWords(providerLabel)[unreadable === "key_not_listed" ? "key_not_listed" : "unreadable"].advice;
  // The events since the grant last worked: a revocation the provider told us of says more than
  // "expired or revoked", less than a cause of its own (re-authentication, an admin's block).
  const lastWorked = events.findIndex((event) => WORKING.has(event.type));
  const since = lastWorked === -1 ? events : events.slice(0, lastWorked);
  const marked = since.find((event) => event.type === "connected_account.needs_reconnect");
  const revoked = since.some((event) => event.type === "connected_account.revoked");
  const markedFor = reconnectCause(marked?.reason ?? null);
  const cause = revoked && (!markedFor || markedFor === "expired_or_revoked") ? "revoked_at_provider" : markedFor;
  return cause
    ? causeWords(providerLabel)[cause].advice
    : `Access to this ${providerLabel} account was revoked or has expired. Reconnect to continue.`;
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
  return "neutral";
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "2 h ago", "5 days ago"; a date beyond a month. */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const elapsed = Math.max(0, now.getTime() - date.getTime());
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 31) return days === 1 ? "yesterday" : `${days} days ago`;
  return `on ${dayFormat.format(date)}`;
}

const dayFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const exactFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** The exact time, for a title on hover: "Nov 23, 2026, 10:44:01 PM UTC". */
export function exactTime(date: Date): string {
  return `${exactFormat.format(date)} UTC`;
}
