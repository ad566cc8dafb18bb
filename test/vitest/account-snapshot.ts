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
