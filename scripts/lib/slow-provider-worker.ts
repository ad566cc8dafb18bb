// One process of the slow_provider benchmark: waits for "go" on stdin, times the session lookup
// (the indexed query every request makes first) at rest, then refreshes its accounts all at once
// while the same lookup keeps arriving on the same connection pool. Prints one JSON line.
// Run with `tsx --conditions=react-server` and the app's env (DATABASE_URL, TOKEN_ENCRYPTION_KEY, …).
import { createInterface } from "node:readline";
import { getAccessToken } from "../../lib/connected-accounts/access-token";
import { getDb } from "../../lib/db";
import { stormOutcome, type StormOutcome } from "./token-storm";

export type SlowProviderReport = { rest: number[]; during: number[]; outcomes: StormOutcome[] };

const [userIdsText = "", sessionToken = "", restMsText = "1500"] = process.argv.slice(2);
const userIds = userIdsText.split(",");
const db = getDb();

/** The session lookup as the Auth.js Prisma adapter makes it (getSessionAndUser). */
const lookup = () => db.session.findUnique({ where: { sessionToken }, include: { user: true } });

/** Every this many ms a lookup starts, whether the previous ones have finished or not. */
const LOOKUP_INTERVAL_MS = Number(process.env.BENCH_LOOKUP_INTERVAL_MS ?? 10);

/**
 * Starts a lookup every LOOKUP_INTERVAL_MS until `until` settles; returns each one's milliseconds.
 * Open loop, as requests arrive at a server: a lookup stalled behind a busy pool delays the ones
 * queued after it, and each of them counts (a closed loop would count a 5 s stall once).
 */
async function lookupLoop(until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const timed: Promise<number>[] = [];
  while (!done) {
    const started = performance.now();
    timed.push(lookup().then(() => performance.now() - started));
    await sleep(LOOKUP_INTERVAL_MS);
  }
  return Promise.all(timed);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Warm up (database pool, provider config) so the run measures the refresh, not start-up.
await lookupLoop(sleep(500));
await getAccessToken(userIds[0]!, { provider: "google", scopes: ["__warm_up_only__"] });
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

const rest = await lookupLoop(sleep(Number(restMsText)));
const refreshes = Promise.all(
  userIds.map((userId) => stormOutcome(() => getAccessToken(userId, { provider: "google" }))),
);
const during = await lookupLoop(refreshes);
const report: SlowProviderReport = { rest, during, outcomes: await refreshes };
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
