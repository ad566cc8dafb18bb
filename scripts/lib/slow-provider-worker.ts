// One process of the slow_provider benchmark: warms up by refreshing an account of its own, waits
// for "go" on stdin, times the session lookup (the indexed query every request makes first) at
// rest, then refreshes its accounts all at once while the same lookup keeps arriving on the same
// connection pool; then the floor: the same burst of provider calls with the refresh's own
// database and crypto work taken out. Prints one JSON line.
// Run with `tsx --conditions=react-server` and the app's env (DATABASE_URL, TOKEN_ENCRYPTION_KEY, …).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { getAccessToken } from "../../lib/connected-accounts";
import { refreshGrant, type RefreshGrantResult } from "../../lib/connected-accounts/provider-grants";
import { getDb } from "../../lib/db";
import { poolConfigFromUrl } from "../../lib/database-url";
import { findProvider, getConfiguredProviders } from "../../lib/providers";
import { stormOutcome, type StormOutcome } from "./token-storm";
import { warmUpRefreshes } from "./warm-up";

export type SlowProviderReport = {
  rest: number[];
  during: number[];
  outcomes: StormOutcome[];
  floor: number[];
  floorErrors: number;
};

const [userIdsText = "", refreshTokensText = "", sessionToken = "", warmUpUserId = ""] = process.argv.slice(2);
const userIds = userIdsText.split(",");
const refreshTokens = refreshTokensText.split(",");
const db = getDb();

/** The session lookup as the Auth.js Prisma adapter makes it (getSessionAndUser). */
const lookup = () => db.session.findUnique({ where: { sessionToken }, include: { user: true } });

/**
 * Every this many ms a lookup starts, whether the previous ones have finished or not. 4 processes
 * at 10 ms kept 2 cores busy with lookups alone (a p99 near 1 s at rest), which measured the
 * machine's saturation rather than what the refreshes cost the lookups.
 */
const LOOKUP_INTERVAL_MS = Number(process.env.BENCH_LOOKUP_INTERVAL_MS ?? 50);

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

/** How long the lookup is timed at rest, before the burst. */
const REST_MS = 1500;

const PROFILE_DIR = process.env.BENCH_CPU_PROF_DIR;

/** `phase`, with a CPU profile of this process written to BENCH_CPU_PROF_DIR when that is set. */
async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return phase();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  const result = await phase();
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(path.join(PROFILE_DIR, `slow-provider-${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
  return result;
}

// Warm up (database pool, provider config, the refresh's own code and statements) so the run
// measures the refresh, not start-up.
await lookupLoop(sleep(500));
await getAccessToken(userIds[0]!, { provider: "google", scopes: ["__warm_up_only__"] });
await warmUpRefreshes(warmUpUserId, "google");
// Every connection of the pool opened now, so that each phase starts with the pool open: the
// burst would otherwise also pay for opening them (authentication costs CPU at both ends), and
// the floor, which runs after the burst, would find them open.
const { max: poolSize = 10 } = poolConfigFromUrl(process.env.DATABASE_URL!);
await Promise.all(Array.from({ length: poolSize }, () => db.$queryRaw`SELECT 1 FROM pg_sleep(0.05)`));
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

const rest = await lookupLoop(sleep(REST_MS));
let refreshes: Promise<StormOutcome[]> = Promise.resolve([]);
const during = await profiled("during", () => {
  refreshes = Promise.all(userIds.map((userId) => stormOutcome(() => getAccessToken(userId, { provider: "google" }))));
  return lookupLoop(refreshes);
});

// The floor: each account's refresh grant sent to the same slow provider at once, its answer
// parsed as a refresh parses it, but no row read, claimed or written and nothing decrypted or
// sealed. What the lookups suffer here is the machine's share (this process, the other three,
// the provider, PostgreSQL), not the refresh's own work.
const google = findProvider(getConfiguredProviders(), "google")!;
let grants: Promise<RefreshGrantResult[]> = Promise.resolve([]);
const floor = await profiled("floor", () => {
  grants = Promise.all(refreshTokens.map((refreshToken) => refreshGrant(google, refreshToken)));
  return lookupLoop(grants);
});
const report: SlowProviderReport = {
  rest,
  during,
  outcomes: await refreshes,
  floor,
  floorErrors: (await grants).filter((grant) => !grant.ok).length,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
