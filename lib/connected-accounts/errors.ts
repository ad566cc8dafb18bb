import type { SignInRefusal } from "../auth/sign-in-policy";
import type { AccessTokenErrorCode } from "./access-token";
import type { UnlinkErrorCode } from "./unlink";

/** Every connected-accounts error code, mapped once to what users read and what HTTP says. */
export type ConnectedAccountErrorCode =
  | AccessTokenErrorCode
  | UnlinkErrorCode
  | SignInRefusal
  | "unauthenticated"
  | "invalid_request"
  | "rate_limited"
  | "method_not_allowed"
  | "database_unavailable";

const errors: Record<ConnectedAccountErrorCode, { status: number; text: string }> = {
  not_linked: { status: 404, text: "This account is not connected yet. Connect it to continue." },
  missing_scopes: { status: 403, text: "This feature needs more access than you granted. Grant access to continue." },
  reconnect_required: {
    status: 409,
    text: "Access to this account was revoked or has expired. Reconnect it to continue.",
  },
  provider_unavailable: {
    status: 503,
    text: "The provider is not answering right now. Nothing was lost; try again in a moment.",
  },
  not_found: { status: 404, text: "That connected account does not exist or is not yours." },
  last_sign_in_method: {
    status: 409,
    text: "This is your only way to sign in. Connect another account before disconnecting this one.",
  },
  unauthenticated: { status: 401, text: "Sign in to continue." },
  invalid_request: { status: 400, text: "The request was not understood." },
  rate_limited: { status: 429, text: "Too many requests in a short time. Wait a minute, then try again." },
  method_not_allowed: { status: 405, text: "This address does not answer that method." },
  database_unavailable: {
    status: 503,
    text: "The service is briefly unavailable. You are still signed in; try again in a few seconds.",
  },
  account_linked_elsewhere: {
    status: 409,
    text: "Nothing was linked: that account is already connected to another user here. Sign in with it to use that user, or disconnect it there first.",
  },
  link_not_started: {
    status: 409,
    text: "Nothing was linked: this link was not started in this session (you signed out or in meanwhile). Start again from here.",
  },
  different_account: {
    status: 409,
    text: "Nothing changed: you chose a different account from the one you were reconnecting. To add it, use Connect another account.",
  },
  reauth_failed: {
    status: 403,
    text: "We could not confirm it was you: sign in again with an account that is already linked here, then try again.",
  },
};

export function connectedAccountErrorText(code: ConnectedAccountErrorCode): string {
  return errors[code].text;
}

/** The text for an error code that arrived in a URL (`?error=`), if it is one of ours. */
export function errorTextFromUrl(code: string | undefined): string | undefined {
  return code && Object.hasOwn(errors, code) ? errors[code as ConnectedAccountErrorCode].text : undefined;
}

export function connectedAccountErrorStatus(code: ConnectedAccountErrorCode): number {
  return errors[code].status;
}

/** Confirmations shown after an action that navigated (e.g. a disconnected account's row is gone). */
const notices = {
  disconnected: (provider: string) => `${provider} disconnected, and its access was revoked at ${provider}.`,
  disconnected_not_revoked: (provider: string) =>
    `${provider} disconnected. ${provider} did not confirm the revocation; you can remove this app's access in your ${provider} settings.`,
  connected: (provider: string) => `${provider} connected.`,
  reconnected: (provider: string) => `${provider} reconnected.`,
} as const;

export function noticeText(code: string | undefined, providerLabel: string): string | undefined {
  return code && Object.hasOwn(notices, code) ? notices[code as keyof typeof notices](providerLabel) : undefined;
}

/**
 * After Grant access: what the provider granted of what was asked, in words. The provider may
 * grant less (the user unticked a box), so this reads the stored grant, not the request.
 */
export function grantNotice(
  requested: readonly string[],
  isGranted: (scope: string) => boolean,
  label: (scope: string) => string,
): { tone: "success" | "error"; text: string } {
  const words = (scopes: readonly string[]) => [...new Set(scopes.map(label))].join("; ");
  const refused = requested.filter((scope) => !isGranted(scope));
  return refused.length === 0
    ? { tone: "success", text: `Access granted: ${words(requested)}.` }
    : { tone: "error", text: `You did not allow: ${words(refused)}. Grant access again to choose differently.` };
}
