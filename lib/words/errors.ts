import type { SignInRefusal } from "../auth/sign-in-policy";
import type { ConnectedAccountErrorCode } from "../http/error-codes";

/** A sign-in problem in two parts: a heading, then what happened and what to do. */
export type AuthErrorText = { title: string; body: string };

/**
 * Why the sign-in policy refused a sign-in or a link (lib/auth/sign-in-policy.ts). One wording, shown
 * on the sign-in pages (title and body) and on the Connected accounts page (one line).
 */
const refusals: Record<SignInRefusal, AuthErrorText> = {
  account_linked_elsewhere: {
    title: "Nothing was linked",
    body: "That account is already connected to another user here. Sign in with it to use that user, or disconnect it there first.",
  },
  link_not_started: {
    title: "Nothing was linked",
    body: "This link was not started in this session (you signed out or in meanwhile). Sign in if you need to, then start again from Settings → Connected accounts.",
  },
  different_account: {
    title: "Nothing changed",
    body: "You chose a different account from the one you were reconnecting. To add it, use Connect another account.",
  },
  reauth_failed: {
    title: "We could not confirm it was you",
    body: "Sign in again with an account that is already linked here, then try again from Settings → Connected accounts.",
  },
  connect_only: {
    title: "This account cannot sign you in",
    body: "It is for connecting only. Sign in another way, then connect it from Settings → Connected accounts.",
  },
  account_not_admitted: {
    title: "This app does not accept that account",
    body: "Accounts of your organisation (or personal accounts of this kind) are not allowed here. Use an account of an organisation this app accepts, or ask its administrator.",
  },
};

const oneLine = ({ title, body }: AuthErrorText) => `${title}. ${body}`;

/** Every connected-accounts error code in words (its HTTP status: lib/http/error-codes.ts). */
const errorTexts: Record<ConnectedAccountErrorCode, string> = {
  not_linked: "This account is not connected yet. Connect it to continue.",
  missing_scopes: "This feature needs more access than you granted. Grant access to continue.",
  reconnect_required: "Access to this account was revoked or has expired. Reconnect it to continue.",
  provider_unavailable: "The provider is not answering right now. Nothing was lost; try again in a moment.",
  not_found: "That connected account does not exist or is not yours.",
  last_sign_in_method: "This is your only way to sign in. Connect another account before disconnecting this one.",
  unauthenticated: "Sign in to continue.",
  invalid_request: "The request was not understood.",
  rate_limited: "Too many requests in a short time. Wait a minute, then try again.",
  method_not_allowed: "This address does not answer that method.",
  database_unavailable: "The service is briefly unavailable. You are still signed in; try again in a few seconds.",
  account_linked_elsewhere: oneLine(refusals.account_linked_elsewhere),
  link_not_started: oneLine(refusals.link_not_started),
  different_account: oneLine(refusals.different_account),
  reauth_failed: oneLine(refusals.reauth_failed),
  connect_only: oneLine(refusals.connect_only),
  account_not_admitted: oneLine(refusals.account_not_admitted),
};

export function connectedAccountErrorText(code: ConnectedAccountErrorCode): string {
  return errorTexts[code];
}

/** The text for an error code that arrived in a URL (`?error=`), if it is one of ours. */
export function errorTextFromUrl(code: string | undefined): string | undefined {
  return code && Object.hasOwn(errorTexts, code) ? errorTexts[code as ConnectedAccountErrorCode] : undefined;
}

/** The error codes Auth.js puts in `?error=` on the sign-in and error pages, and our own. */
const authErrors: Record<string, AuthErrorText> = {
  OAuthAccountNotLinked: {
    title: "This account belongs to someone who signed in another way",
    body: "An account with the same email address already exists here, created with a different provider. For your safety we did not merge them. Sign in with the provider you used before, then link this one from Settings.",
  },
  AccessDenied: {
    title: "Access was denied",
    body: "The provider did not let you in, or you cancelled. Try again, or pick another provider.",
  },
  OAuthCallbackError: {
    title: "The provider's answer could not be used",
    body: "The sign-in could not be completed (it may have expired or been opened twice). Start again from the sign-in page.",
  },
  OAuthSignInError: {
    title: "Could not start signing in",
    body: "The provider could not be reached or refused the request. Try again in a moment.",
  },
  Configuration: {
    title: "Sign-in is not set up correctly",
    body: "The server's sign-in configuration has a problem. If you run this app, check the server log.",
  },
  ...refusals,
  sign_in_not_saved: {
    title: "Your sign-in could not be saved",
    body: "Nothing changed and you are not signed in. Try again in a moment; if it keeps happening, the server log says why.",
  },
  Verification: {
    title: "This link is no longer valid",
    body: "It may have been used already or it has expired. Start again from the sign-in page.",
  },
};

const unknownAuthError: AuthErrorText = {
  title: "Something went wrong while signing in",
  body: "Please try again. If it keeps happening, try another provider.",
};

/** The words for a sign-in page's `?error=`; a code we do not know gets a general one. */
export function authErrorText(code: string | undefined): AuthErrorText | undefined {
  if (!code) return undefined;
  return Object.hasOwn(authErrors, code) ? authErrors[code] : unknownAuthError;
}
