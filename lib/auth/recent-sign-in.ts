import "server-only";
import type { Prisma } from "@prisma/client";
import { getDb } from "../db";
import { getEnv } from "../env";

/**
 * Did the user of this session prove who they are within REAUTH_WINDOW_MINUTES (a sign-in, or a
 * confirmation with a linked provider)? Measured by the database's clock, which also wrote it.
 */
export async function isRecentlyReverified(sessionId: string): Promise<boolean> {
  const minutes = getEnv().REAUTH_WINDOW_MINUTES;
  const rows = await getDb().$queryRaw<unknown[]>`
    SELECT 1 FROM "Session"
    WHERE id = ${sessionId} AND "verifiedAt" > (now() AT TIME ZONE 'UTC') - make_interval(mins => ${minutes})`;
  return rows.length > 0;
}

/** Records that the user of this session has just proved who they are. */
export async function markSessionReverified(
  sessionId: string,
  userId: string,
  db: Prisma.TransactionClient = getDb(),
): Promise<void> {
  await db.$executeRaw`
    UPDATE "Session" SET "verifiedAt" = now() AT TIME ZONE 'UTC' WHERE id = ${sessionId} AND "userId" = ${userId}`;
}
