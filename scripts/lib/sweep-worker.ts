// One sweeper of `npm run bench:sweep`: opens its database connection, waits for "go" on
// stdin, sweeps once until nothing is due, and prints one JSON line with its report and time.
// Run with `tsx --conditions=react-server` and the app's env (DATABASE_URL, TOKEN_ENCRYPTION_KEY, …).
import { createInterface } from "node:readline";
import { sweepDueAccounts, type SweepReport } from "../../lib/connected-accounts/sweep";
import { getDb } from "../../lib/db";

export type SweeperResult = { report: SweepReport; ms: number };

const [marginSeconds = "600"] = process.argv.slice(2);

await getDb().$queryRaw`SELECT 1`;
process.stdout.write("ready\n");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));

const started = performance.now();
const report = await sweepDueAccounts({ marginSeconds: Number(marginSeconds) });
const result: SweeperResult = { report, ms: performance.now() - started };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
