import "server-only";
import type { ConnectionEvent } from "../connected-accounts";
import { getDb } from "../db";

/** The user's latest `security.*` events (passkeys added, removed, refused; confirmations), newest first. */
export async function recentSecurityEvents(userId: string, limit = 10): Promise<ConnectionEvent[]> {
  return getDb().$queryRaw<ConnectionEvent[]>`
    SELECT id, type, "userId", "accountId", provider, reason, detail, "createdAt" FROM "ConnectionEvent"
    WHERE "userId" = ${userId} AND type LIKE 'security.%'
    ORDER BY "createdAt" DESC, seq DESC
    LIMIT ${limit}`;
}
