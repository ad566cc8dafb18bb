/** User-facing text for the error codes Auth.js puts in `?error=` on the sign-in and error pages. */
export type AuthErrorText = { title: string; body: string };

const messages: Record<string, AuthErrorText> = {
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
  link_not_started: {
    title: "Nothing was linked",
    body: "The link was started in a session that has since ended. Sign in, then start again from Settings → Connected accounts.",
  },
  reauth_failed: {
    title: "We could not confirm it was you",
    body: "Sign in again, then try once more from Settings → Connected accounts.",
  },
  sign_in_not_saved: {
    title: "Your sign-in could not be saved",
    body: "Nothing changed and you are not signed in. Try again in a moment; if it keeps happening, the server log says why.",
  },
  Verification: {
    title: "This link is no longer valid",
    body: "It may have been used already or it has expired. Start again from the sign-in page.",
  },
};

const fallback: AuthErrorText = {
  title: "Something went wrong while signing in",
  body: "Please try again. If it keeps happening, try another provider.",
};

export function authErrorText(code: string | undefined): AuthErrorText | undefined {
  if (!code) return undefined;
  return Object.hasOwn(messages, code) ? messages[code] : fallback;
}

/**
 * Keeps post-sign-in redirects on this site: only paths like "/settings". The value is resolved
 * as a browser would (tabs and newlines dropped, "." and ".." segments applied, %2e read as a dot),
 * and refused if the result is not on this origin or its path starts with "//": a browser reads
 * `Location: //evil.example` as another site. (Backslashes are refused outright, before parsing.)
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\\")) return "/";
  const base = "http://app.invalid";
  const url = URL.canParse(value, base) ? new URL(value, base) : undefined;
  if (url?.origin !== base || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
