// What our session callback (lib/auth/config.ts) adds to Auth.js's session.
declare module "next-auth" {
  interface Session {
    /** The Session row's id (not its token): ties a link flow to the session that started it. */
    sessionId: string;
  }
}

export {};
