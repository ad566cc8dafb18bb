import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { Prisma, type PrismaClient } from "@prisma/client";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import { createLinkedAccount } from "../connected-accounts";
import { takeUnconfirmedSignIn } from "./reverification";
import { noteSessionReadFailure } from "./session-read";
import { hashSessionToken } from "./session-token-hash";

/**
 * The Prisma adapter, with account writes going through our own column mapping, and:
 * - new users get the email the provider verified, or none (see `profile` in config.ts), so a
 *   stored address always carries `emailVerified`;
 * - an expired session reads as no session everywhere. Auth.js checks expiry when it serves a
 *   session but not when it decides whether a callback links or signs in;
 * - the Session table keeps the hash of each session cookie (session-token-hash.ts), never the
 *   cookie. Auth.js hands these methods the cookie and gets it back in every session returned: it
 *   sets the cookie from what createSession returns;
 * - a session read that fails is noted for `auth()` (session-read.ts): Auth.js would read it as "signed out";
 * - a session whose sign-in proved less than the user's strongest factor starts unconfirmed.
 */
export function createAdapter(db: PrismaClient): Adapter {
  const prisma = PrismaAdapter(db);
  return {
    ...prisma,
    linkAccount: (account) => createLinkedAccount(db, account),
    async createUser({ name, email, image }) {
      try {
        return (await db.user.create({
          data: { name, email, image, emailVerified: email ? new Date() : null },
        })) as AdapterUser;
      } catch (error) {
        // Two first sign-ins with one verified address at once: the second joins the first, as it would a moment later.
        const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
        if (duplicate && email) return (await db.user.findUniqueOrThrow({ where: { email } })) as AdapterUser;
        throw error;
      }
    },
    async createSession({ sessionToken, ...session }) {
      const created = await prisma.createSession!({ ...session, sessionToken: hashSessionToken(sessionToken) });
      // A sign-in weaker than the user's strongest factor (lib/auth/reverification.ts) is no confirmation.
      if (takeUnconfirmedSignIn(session.userId))
        await db.$executeRaw`UPDATE "Session" SET "verifiedAt" = to_timestamp(0) WHERE id = ${(created as { id?: string }).id}`;
      return { ...created, sessionToken };
    },
    async getSessionAndUser(sessionToken) {
      const stored = hashSessionToken(sessionToken);
      try {
        const found = await prisma.getSessionAndUser!(stored);
        if (!found) return null;
        if (found.session.expires.valueOf() <= Date.now()) {
          await db.session.deleteMany({ where: { sessionToken: stored } });
          return null;
        }
        return { user: found.user, session: { ...found.session, sessionToken } };
      } catch (error) {
        noteSessionReadFailure(error);
        throw error;
      }
    },
    async updateSession({ sessionToken, ...session }) {
      const updated = await prisma.updateSession!({ ...session, sessionToken: hashSessionToken(sessionToken) });
      return updated && { ...updated, sessionToken };
    },
    async deleteSession(sessionToken): Promise<AdapterSession | null> {
      const deleted = await prisma.deleteSession!(hashSessionToken(sessionToken));
      return deleted ? { ...deleted, sessionToken } : null;
    },
  };
}
