import { getAccessToken } from "../../lib/connected-accounts";
import type { ProviderId } from "../../lib/providers";

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
