import "server-only";
import NextAuth from "next-auth";
import { cache } from "react";
import { buildAuthConfig } from "./config";

// Lazy config: the environment is read on the first request, not when `next build` imports this.
// The sign-in policy reads the current session through `auth` itself, so it sees what Auth.js sees.
export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig(() => auth()));

/** The session, read once per render: the header and the page ask for it in the same request. */
export const currentSession = cache(() => auth());
