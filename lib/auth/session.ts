import "server-only";
import NextAuth, { type Session } from "next-auth";
import { headers } from "next/headers";
import { cache } from "react";
import { buildAuthConfig } from "./config";
import { inSignInRequest } from "./reverification";
import { readSession } from "./session-read";
import { noteSessionSeen } from "./sessions";

// Lazy config: the environment is read on the first request, not when `next build` imports this.
// The sign-in policy reads the current session through `auth` itself, so it sees what Auth.js sees.
const nextAuth = NextAuth(() => buildAuthConfig(() => auth()));

export const { signIn, signOut } = nextAuth;

/** Auth.js's route handlers, each request in its own sign-in scope (reverification.ts). */
export const handlers: typeof nextAuth.handlers = {
  GET: (request) => inSignInRequest(() => nextAuth.handlers.GET(request)),
  POST: (request) => inSignInRequest(() => nextAuth.handlers.POST(request)),
};

/**
 * This request's session, or null when signed out; throws DatabaseUnavailableError during a
 * database outage. A session read is a use of it: its device and last seen are noted (sessions.ts).
 */
async function auth(): Promise<Session | null> {
  const session = await readSession(() => nextAuth.auth());
  if (session?.sessionId) await noteSessionSeen(session.sessionId, (await headers()).get("user-agent"));
  return session;
}

/** The session, read once per render: the header and the page ask for it in the same request. */
export const currentSession = cache(() => auth());
