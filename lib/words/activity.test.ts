import { describe, expect, it } from "vitest";
import { github } from "../providers/github";
import { google } from "../providers/google";
import { describeEvent, reconnectAdvice, type ActivityEvent } from "./activity";
import { exactTime, relativeTime } from "./dates";
import { CONNECTION_EVENT_TYPES } from "../connected-accounts";

const event = (type: ActivityEvent["type"], reason: string | null = null, detail: ActivityEvent["detail"] = null) => ({
  type,
  reason,
  detail,
});
/** An event stored with its cause, and the words we log with it. */
const caused = (type: ActivityEvent["type"], cause: string, reason: string | null = null) =>
  event(type, reason, { cause });

describe("connection events in plain words", () => {
  it("names the agent of an agent.* event, in its own words", () => {
    const agent = { agent: { name: "Claude" } };
    expect(describeEvent(event("agent.authorized", null, agent), google)).toBe("Shared with “Claude”");
    expect(describeEvent(event("agent.used", null, agent), google)).toBe("Used by “Claude”");
    expect(describeEvent(event("agent.revoked", "revoked at the provider", agent), google)).toBe(
      "No longer shared with “Claude”",
    );
    expect(describeEvent(event("agent.used"), google)).toBe("Used by an agent");
  });

  it.each([
    [event("connected_account.refreshed"), "Access refreshed"],
    [event("connected_account.linked"), "Connected"],
    [event("connected_account.unlinked"), "Disconnected"],
    [
      caused("connected_account.revoked", "revoked_at_provider", "the provider rejected the access token"),
      "Access revoked at Google",
    ],
    [
      caused("connected_account.refresh_failed", "provider_unreachable", "token endpoint unreachable: fetch failed"),
      "Refresh failed: Google did not answer",
    ],
    [
      caused("connected_account.refresh_failed", "provider_error", "token endpoint answered 503"),
      "Refresh failed: Google answered with an error",
    ],
    [event("connected_account.refresh_failed", "something new"), "Refresh failed"],
    [caused("connected_account.refresh_failed", "something_new"), "Refresh failed"],
    [
      caused("connected_account.needs_reconnect", "expired_or_revoked", "refresh refused: invalid_grant"),
      "Needs reconnecting: refresh refused",
    ],
    [
      caused("connected_account.needs_reconnect", "no_refresh_token", "no refresh token stored"),
      "Needs reconnecting: access cannot be renewed",
    ],
    [event("connected_account.needs_reconnect"), "Needs reconnecting"],
    [
      caused("connected_account.needs_reconnect", "reauth_required", "refresh refused: invalid_grant (invalid_rapt)"),
      "Needs reconnecting: your organisation asks you to sign in again",
    ],
    [
      caused("connected_account.needs_reconnect", "admin_policy_enforced", "refresh refused: admin_policy_enforced"),
      "Needs reconnecting: your administrator blocked this app at Google",
    ],
    [
      caused("connected_account.needs_reconnect", "revoked_at_provider", "revoked at Google"),
      "Needs reconnecting: access revoked at Google",
    ],
    [
      caused("connected_account.needs_reconnect", "account_disabled", "Google disabled the account (hijacking)"),
      "Needs reconnecting: Google disabled the account",
    ],
    [
      caused("connected_account.needs_reconnect", "account_deleted", "Google deleted the account"),
      "Needs reconnecting: the Google account was deleted",
    ],
    [event("connected_account.recovered", "signed in again"), "Working again: signed in again"],
    [event("connected_account.recovered", "refreshed after 3 failures"), "Working again"],
    [event("security.passkey_added"), "Passkey added"],
    [event("security.passkey_removed"), "Passkey removed"],
    [
      event("security.passkey_refused", "counter went backwards: 1 after 3"),
      "A passkey was refused: it may have been copied",
    ],
    [event("security.reverified", "passkey"), "Confirmed it's you with a passkey"],
    [event("security.reverified", "provider-sign-in"), "Confirmed it's you by signing in to Google again"],
    [event("security.reverified", "provider-approval"), "Confirmed it's you with Google (no new sign-in there)"],
  ])("%o → %s", (input, text) => {
    expect(describeEvent(input, google)).toBe(text);
  });

  it("names scopes with the provider's words, whichever name the provider reported", () => {
    const granted = event("connected_account.scopes_changed", "consent", {
      granted: ["https://www.googleapis.com/auth/calendar.readonly"],
      removed: [],
    });
    expect(describeEvent(granted, google)).toBe("Access to See your Google Calendar events granted");
    const both = event("connected_account.scopes_changed", "refresh", {
      granted: ["https://www.googleapis.com/auth/userinfo.email", "email"],
      removed: ["https://www.googleapis.com/auth/drive.metadata.readonly", "https://example.com/unknown"],
    });
    expect(describeEvent(both, google)).toBe(
      "Access to See your email address granted; Access to See the names and details of your Google Drive files, https://example.com/unknown removed",
    );
    expect(describeEvent(event("connected_account.scopes_changed"), google)).toBe("Access changed");
  });

  it("never repeats a stored reason it does not know, so nothing unexpected reaches the page", () => {
    const secretish = "ya29.a0AfH6SMB-looks-like-a-token";
    for (const type of CONNECTION_EVENT_TYPES) {
      expect(describeEvent(event(type, secretish), google)).not.toContain(secretish);
    }
  });
});

describe("times", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  it.each([
    [0, "just now"],
    [59_000, "just now"],
    [3 * 60_000, "3 min ago"],
    [2 * 3_600_000 + 5, "2 h ago"],
    [26 * 3_600_000, "yesterday"],
    [5 * 86_400_000, "5 days ago"],
    [-60_000, "just now"], // a clock a little ahead
  ])("%i ms ago → %s", (ago, text) => {
    expect(relativeTime(new Date(now.getTime() - ago), now)).toBe(text);
  });

  it("beyond a month, the date", () => {
    expect(relativeTime(new Date("2026-09-01T00:00:00Z"), now)).toBe("on Sep 1, 2026");
    expect(exactTime(now)).toBe("Nov 23, 2026, 12:00:00 PM UTC");
  });
});

describe("reconnectAdvice", () => {
  const advice = (cause: string) =>
    reconnectAdvice([event("connected_account.refreshed"), caused("connected_account.needs_reconnect", cause)], google);

  it("says why, from the latest needs_reconnect, and what to do", () => {
    expect(advice("reauth_required")).toBe(
      "Your organisation asks you to sign in to Google again from time to time. Reconnect to continue.",
    );
    expect(advice("admin_policy_enforced")).toMatch(
      /administrator has blocked this app at Google\. Reconnecting works once they allow it/,
    );
    expect(advice("expired_or_revoked")).toMatch(/no longer accepts this app's access/);
    expect(advice("revoked_at_provider")).toBe("Access was removed at Google. Reconnect to continue.");
  });

  it("a revocation the provider told of says most; events before the grant last worked do not count", () => {
    const revokedNow = [
      caused("connected_account.needs_reconnect", "expired_or_revoked", "refresh refused: invalid_grant"),
      caused(
        "connected_account.revoked",
        "revoked_at_provider",
        "the provider rejected the access token and refused the refresh token",
      ),
      event("connected_account.linked"),
    ];
    expect(reconnectAdvice(revokedNow, google)).toBe("Access was removed at Google. Reconnect to continue.");
    const revokedBefore = [
      caused("connected_account.needs_reconnect", "reauth_required", "refresh refused: invalid_grant (invalid_rapt)"),
      event("connected_account.recovered", "signed in again"),
      caused("connected_account.revoked", "revoked_at_provider", "earlier"),
    ];
    expect(reconnectAdvice(revokedBefore, google)).toMatch(/organisation asks you to sign in to Google again/);
  });

  it("names how long a grant may go unused only for a provider that ends unused grants (Google's 180 days)", () => {
    const expired = [caused("connected_account.needs_reconnect", "expired_or_revoked")];
    expect(reconnectAdvice(expired, google)).toBe(
      "Google no longer accepts this app's access: it was removed, or it expired (unused for 6 months, or ended by Google). Reconnect to continue.",
    );
    expect(reconnectAdvice(expired, github)).toBe(
      "GitHub no longer accepts this app's access: it was removed, or it expired (unused too long, or ended by GitHub). Reconnect to continue.",
    );
    expect(advice("unused")).toBe("Google ends access that goes unused for 6 months. Reconnect to continue.");
    expect(reconnectAdvice(expired, { label: "Acme", unusedGrantDays: 90 })).toMatch(/unused for 3 months/);
    expect(reconnectAdvice(expired, { label: "Acme", unusedGrantDays: 45 })).toMatch(/unused for 45 days/);
  });

  it("falls back to the general wording for an unknown cause or no event", () => {
    expect(advice("something_new")).toMatch(/revoked or has expired/);
    expect(reconnectAdvice([], github)).toMatch(/GitHub account was revoked or has expired/);
  });
});
