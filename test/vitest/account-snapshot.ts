import type { PrismaClient } from "@prisma/client";

/**
 * Everything a provider's notice could change for a user: account states, their events, sessions.
 * Receivers' tests compare it before and after a refused notice.
 */
export async function accountSnapshot(db: PrismaClient, userId: string) {
  const accounts = await db.account.findMany({ where: { userId }, orderBy: { provider: "asc" } });
  const events = await db.connectionEvent.findMany({ where: { userId }, orderBy: { seq: "asc" } });
  return {
    accounts: accounts.map(({ provider, status, version }) => ({ provider, status, version })),
    events: events.map(({ type, provider, reason }) => ({ type, provider, reason })),
    sessions: await db.session.count({ where: { userId } }),
  };
}

/**
 * What a sign-in attempt would leave: the users with its email and the accounts with its
 * provider's id. Counted by that identity, never in all, since test files run side by side on
 * one database. Sign-in policy tests compare it before and after a refused attempt.
 */
export async function signInTraces(
  db: PrismaClient,
  attempt: { email: string; provider: string; providerAccountId: string },
) {
  const { email, provider, providerAccountId } = attempt;
  return {
    users: await db.user.count({ where: { email: { equals: email, mode: "insensitive" } } }),
    accounts: await db.account.count({ where: { provider, providerAccountId } }),
  };
}
