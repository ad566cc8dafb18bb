// One sweeper of `npm run bench:sweep`: warms up, waits for "go" on stdin, sweeps once until
// nothing is due, prints one JSON line with its report and time, and closes its connections.
// Run with `tsx --conditions=react-server` and the app's env (DATABASE_URL, TOKEN_ENCRYPTION_KEY, …).
import { createInterface } from "node:readline";
import { sweepDueAccounts, type SweepReport } from "../../lib/connected-accounts";
import { getDb } from "../../lib/db";

export type SweeperResult = { report: SweepReport; ms: number };

/** A margin no token is inside of: a sweep with it finds only grants idle for the keep-alive period. */
const NOTHING_DUE_MARGIN_SECONDS = -10 * 365 * 24 * 60 * 60;

const [marginSeconds = "600"] = process.argv.slice(2);
const db = getDb();

// Warm up as a sweeper that has run before and found nothing due: connection open, claim query ready.
const warmUp = await sweepDueAccounts({ marginSeconds: NOTHING_DUE_MARGIN_SECONDS });
if (warmUp.claimed !== 0) throw new Error(`the warm-up sweep claimed ${warmUp.claimed} accounts`);
// PostgreSQL publishes a connection's transaction counts up to 10 s late; the benchmark reads them
// next, and this connection's warm-up must not land in the figure.
await db.$executeRaw`SELECT pg_stat_force_next_flush()`;
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

const started = performance.now();
const report = await sweepDueAccounts({ marginSeconds: Number(marginSeconds) });
const result: SweeperResult = { report, ms: performance.now() - started };
process.stdout.write(`${JSON.stringify(result)}\n`);
await db.$disconnect();
process.exit(0);
