// `npm run webhooks`: lists the webhook deliveries not delivered yet (failed first, then pending).
// `npm run webhooks -- retry <eventId>` or `-- retry --all-failed`: sends them again, with a fresh
// set of attempts, at the worker's next pass. Uses DATABASE_URL, or the embedded development database.
import nextEnv from "@next/env";
import { endingOnAnticipatedFaults } from "./lib/anticipated-fault";
import { openDevDatabase } from "./lib/dev-database";
import { logLine } from "./lib/prefixed-output";

const usage = "usage: npm run webhooks [-- retry <eventId> | -- retry --all-failed]";
const [command, argument, ...rest] = process.argv.slice(2);
if (!(command === undefined || (command === "retry" && argument && rest.length === 0))) {
  console.error(usage);
  process.exit(2);
}

// A database that refuses us, a data directory another process holds: one line each.
endingOnAnticipatedFaults((line) => console.error(line));
nextEnv.loadEnvConfig(process.cwd(), true, { info: () => {}, error: console.error });
const database = await openDevDatabase((line) => logLine("db", line));
process.env.DATABASE_URL = database.url;
try {
  const { requeueWebhooks, undeliveredWebhooks } = await import("../lib/webhooks");
  if (command === "retry") {
    const requeued = await requeueWebhooks(argument === "--all-failed" ? "all-failed" : { eventId: argument! });
    if (requeued.length === 0 && argument !== "--all-failed") {
      console.error(`webhooks: no undelivered webhook for event ${argument}`);
      process.exitCode = 1;
    } else {
      console.log(`webhooks: requeued ${requeued.length}: the worker sends them at its next pass`);
    }
  } else {
    const rows = await undeliveredWebhooks();
    if (rows.length === 0) console.log("webhooks: every webhook has been delivered");
    for (const row of rows) {
      const next = row.nextAttemptAt
        ? `next ${row.nextAttemptAt.toISOString()}`
        : "not retried (npm run webhooks -- retry)";
      console.log(
        [row.status, row.eventId, row.type, `attempts ${row.attempts}`, next, row.lastError ?? "never tried"].join(
          "  ",
        ),
      );
    }
  }
} finally {
  const { getDb } = await import("../lib/db");
  await getDb().$disconnect();
  await database.stop();
}
