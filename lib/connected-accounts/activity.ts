import { scopeLabel, type ProviderDefinition } from "../providers/types";
import type { ConnectionEventType } from "./event-types";

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
  }
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

/** Why the account needs the user to reconnect. */
function reconnectReason(reason: string | null, providerLabel: string): string | undefined {
  if (!reason) return undefined;
  if (reason.startsWith("refresh refused")) return "refresh refused";
  // What the provider told us on its own (Google's RISC events, GitHub's webhook).
  if (reason.startsWith("revoked at ")) return `access revoked at ${providerLabel}`;
  if (/ disabled the account/.test(reason)) return `${providerLabel} disabled the account`;
  if (/ deleted the account/.test(reason)) return `the ${providerLabel} account was deleted`;
  if (reason === "no refresh token stored") return "access cannot be renewed";
  if (reason.includes("cannot be read")) return "the stored access cannot be read";
  return undefined;
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
  if (type === "connected_account.refresh_failed") return "bad";
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
