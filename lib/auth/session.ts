import "server-only";
import NextAuth, { type Session } from "next-auth";
import { cache } from "react";
import { buildAuthConfig } from "./config";
import { readSession } from "./session-read";

// Lazy config: the environment is read on the first request, not when `next build` imports this.
// The sign-in policy reads the current session through `auth` itself, so it sees what Auth.js sees.
const nextAuth = NextAuth(() => buildAuthConfig(() => auth()));

export const { handlers, signIn, signOut } = nextAuth;

/** This request's session, or null when signed out; throws DatabaseUnavailableError during a database outage. */
export function auth(): Promise<Session | null> {
  return readSession(() => nextAuth.auth());
}

/** The session, read once per render: the header and the page ask for it in the same request. */
export const currentSession = cache(() => auth());
