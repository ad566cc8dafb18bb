// One process of a refresh storm: waits for "go" on stdin, then makes `callers` concurrent
// getAccessToken calls for one account and prints one JSON line with every outcome.
// Run with `tsx --conditions=react-server` and the app's env (DATABASE_URL, TOKEN_ENCRYPTION_KEY, …).
import { createInterface } from "node:readline";
import { getAccessToken } from "../../lib/connected-accounts";
import type { ProviderId } from "../../lib/providers";
import { stormOutcome } from "./token-storm";
import { warmUpRefreshes } from "./warm-up";

const [userId = "", provider = "google", callersText = "50", warmUpUserId] = process.argv.slice(2);
const callers = Number(callersText);

// Warm up (database pool, provider config) so the storm measures the refresh, not start-up.
await getAccessToken(userId, { provider: provider as ProviderId, scopes: ["__warm_up_only__"] });
if (warmUpUserId) await warmUpRefreshes(warmUpUserId, provider as ProviderId);
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

const outcomes = await Promise.all(
  Array.from({ length: callers }, () =>
    stormOutcome(() => getAccessToken(userId, { provider: provider as ProviderId })),
  ),
);
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
process.exit(0);
