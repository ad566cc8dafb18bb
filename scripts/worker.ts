// `npm run worker`: the background sweep as a long-running process (Node hosts, Docker; `npm run dev`
// starts one too). It renews tokens of accounts in use before they expire and keeps idle grants
// alive (lib/connected-accounts/sweep.ts). Run as many as you like: they never refresh an account twice.
import nextEnv from "@next/env";
import { logDatabaseFault } from "../lib/db";
import { getEnv } from "../lib/env";
import { log } from "../lib/log";
import { describeError } from "../lib/result";
import { registerConnectionHooks } from "../lib/connected-accounts/notices";
import { sweepDueAccounts } from "../lib/connected-accounts/sweep";

// The same env files `next dev` / `next start` read (variables already set win).
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });
const env = (() => {
  try {
    return getEnv();
  } catch (error) {
    // One line that names the variable and the fix, not a stack trace.
    console.error(`worker: ${describeError(error)}`);
    process.exit(1);
  }
})();
// The sweep changes accounts too (a refused refresh marks one): the same hooks as the server.
registerConnectionHooks();
const SWEEP_INTERVAL_MS = env.SWEEP_INTERVAL_SECONDS * 1000;
let stopping = false;
let wake: () => void = () => {};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // Stop after the sweep under way: its refreshes hold leases that would otherwise keep
    // requests for those accounts waiting until they expire.
    stopping = true;
    wake();
  });
}

console.info(`worker: sweeping every ${SWEEP_INTERVAL_MS / 1000} s (margin ${env.SWEEP_MARGIN_MINUTES} min)`);
while (!stopping) {
  try {
    const report = await sweepDueAccounts({ marginSeconds: env.SWEEP_MARGIN_MINUTES * 60 });
    if (report.claimed > 0) log.info("sweep.done", { counts: report });
  } catch (error) {
    // A database outage: say so once per sweep, and try again at the next one.
    logDatabaseFault(error);
    log.error("sweep.failed", { reason: describeError(error) });
  }
  if (stopping) break;
  await new Promise<void>((resolve) => {
    wake = resolve;
    setTimeout(resolve, SWEEP_INTERVAL_MS);
  });
}
process.exit(0);
