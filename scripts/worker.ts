// `npm run worker`: the background sweep as a long-running process (Node hosts, Docker; `npm run dev`
// starts one too). It renews tokens of accounts in use before they expire and keeps idle grants
// alive (lib/connected-accounts/sweep.ts), and, when WEBHOOK_URL is set, sends the webhooks that
// are due (lib/webhooks). Run as many as you like: they never refresh an account, or send a webhook, twice at once.
// First: a stop asked for while the modules below load is then noted, not fatal.
import { onStopRequest, stopRequested } from "./lib/stop-signals";
import nextEnv from "@next/env";
import { logDatabaseFault } from "../lib/db";
import { getEnv } from "../lib/env";
import { log } from "../lib/log";
import { describeError } from "../lib/result";
import { registerConnectionHooks, sweepDueAccounts, webhookEventTypes } from "../lib/connected-accounts";
import { discoverIssuers } from "../lib/providers";
import { deliverWebhooks, webhookTarget } from "../lib/webhooks";

// The same env files `next dev` / `next start` read (variables already set win).
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });
const env = (() => {
  try {
    const env = getEnv();
    webhookEventTypes(); // an unknown name in WEBHOOK_EVENTS stops the worker here, as it does the server
    return env;
  } catch (error) {
    // One line that names the variable and the fix, not a stack trace.
    console.error(`worker: ${describeError(error)}`);
    process.exit(1);
  }
})();
// The sweep changes accounts too (a refused refresh marks one): the same hooks as the server.
registerConnectionHooks();
// The generic issuer's endpoints, as the server finds them when it starts (one line if it cannot).
await discoverIssuers();
const SWEEP_INTERVAL_MS = env.SWEEP_INTERVAL_SECONDS * 1000;
// Webhooks are looked for more often than the sweep runs: an event should not wait a minute, and
// the first retry comes 5 s after a failure. The query is one index lookup.
const WEBHOOK_INTERVAL_MS = Math.min(5_000, SWEEP_INTERVAL_MS);

/** Runs `pass` every `intervalMs` until a signal; a pass that throws is logged and the loop goes on. */
async function every(intervalMs: number, name: "sweep" | "webhooks", pass: () => Promise<void>): Promise<void> {
  // Stops after the work under way: its refreshes hold leases that would otherwise keep requests for
  // those accounts waiting until they expire (and webhooks under way are then recorded).
  while (!stopRequested()) {
    try {
      await pass();
    } catch (error) {
      // A database outage: say so once per pass, and try again at the next one.
      logDatabaseFault(error);
      log.error(`${name}.failed`, { reason: describeError(error) });
    }
    if (stopRequested()) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        stopWaiting();
        resolve();
      }, intervalMs);
      const stopWaiting = onStopRequest(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

console.info(`worker: sweeping every ${SWEEP_INTERVAL_MS / 1000} s (margin ${env.SWEEP_MARGIN_MINUTES} min)`);
const target = webhookTarget();
if (target) {
  // The host only: a URL's path or query may carry a key of the receiver's.
  console.info(`worker: sending webhooks to ${new URL(target.url).host} (${webhookEventTypes().length} event types)`);
}
await Promise.all([
  every(SWEEP_INTERVAL_MS, "sweep", async () => {
    const report = await sweepDueAccounts({ marginSeconds: env.SWEEP_MARGIN_MINUTES * 60 });
    if (report.claimed > 0) log.info("sweep.done", { counts: report });
  }),
  target &&
    every(WEBHOOK_INTERVAL_MS, "webhooks", async () => {
      const report = await deliverWebhooks();
      if (report.claimed > 0) log.info("webhooks.done", { counts: report });
    }),
]);
console.info("worker: stopped");
process.exit(0);
