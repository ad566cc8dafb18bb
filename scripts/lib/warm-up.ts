import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { authorizeGoogle } from "../../sandbox/test-client";
import { getAccessToken } from "../../lib/connected-accounts";
import type { ProviderId } from "../../lib/providers";
import { linkedUser } from "./linked-account";

/** Refreshes before a measurement: as many as the uncontended refresh is measured over. */
const WARM_UP_REFRESHES = 20;

/**
 * Refreshes `userId`'s account (one of its own, not one being measured) 20 times, as a server
 * that has been running a while would have: every statement of a refresh prepared, its code
 * compiled, the provider's connection open. A benchmark worker does this before it reports ready.
 */
export async function warmUpRefreshes(userId: string, provider: ProviderId): Promise<void> {
  for (let run = 0; run < WARM_UP_REFRESHES; run += 1) {
    const current = await getAccessToken(userId, { provider });
    if (!current.ok) throw new Error(`warm-up refresh failed: ${current.error.code}`);
    await getAccessToken(userId, { provider, rejectedAccessToken: current.accessToken });
  }
}

/** `count` new users, each with a Google account to warm up on: one for each worker process. */
export async function warmUpUsers(db: PrismaClient, sandboxUrl: string, count: number): Promise<string[]> {
  const userIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const tokens = await authorizeGoogle(sandboxUrl, { email: `warm-up-${randomUUID()}@example.com` });
    userIds.push((await linkedUser(db, "google", tokens)).userId);
  }
  return userIds;
}
