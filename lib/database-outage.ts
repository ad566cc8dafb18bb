import "server-only";
import { connect } from "node:net";
import { poolConfigFromUrl } from "./database-url";
import { databaseFaultLine } from "./database-fault-line";
import { getEnv } from "./env";
import { log } from "./log";
import { OUTAGE_RETRY_SECONDS, OUTAGE_TEXT, OUTAGE_TITLE } from "./outage-words";

// On globalThis: proxy.ts and the pages are bundled apart but run in one server process.
const LAST_FAULT_AT = Symbol.for("connected-accounts.database-fault-at");
const memory = globalThis as unknown as Record<typeof LAST_FAULT_AT, number | undefined>;

// Past this long without a new fault, requests go through to the pages again.
const OUTAGE_MEMORY_MS = 30_000;
const PROBE_TIMEOUT_MS = 1_000;

/** Remembers that the database just failed a query, so the proxy can answer pages with a 503. */
export function noteDatabaseFault(): void {
  memory[LAST_FAULT_AT] = Date.now();
}

/** Whether a query failed on the database lately (and no check has since found it back). */
export function databaseFaultRecent(): boolean {
  const lastFaultAt = memory[LAST_FAULT_AT];
  return lastFaultAt !== undefined && Date.now() - lastFaultAt <= OUTAGE_MEMORY_MS;
}

/**
 * Whether the database is still down after a recent fault: its port refuses connections. Costs
 * nothing until a query has failed, then one connection attempt per page request while the outage
 * lasts. Logs the one line of a failed request when it is down.
 */
export async function databaseStillDown(databaseUrl = getEnv().DATABASE_URL): Promise<boolean> {
  if (!databaseFaultRecent()) return false;
  const server = poolConfigFromUrl(databaseUrl);
  const failure = await connectionFailure(server.host ?? "localhost", server.port ?? 5432);
  if (failure === undefined) {
    memory[LAST_FAULT_AT] = undefined;
    return false;
  }
  noteDatabaseFault();
  log.error("database.unavailable", {
    code: failure.reason,
    reason: databaseFaultLine(failure, { host: server.host, port: server.port }),
  });
  return true;
}

function connectionFailure(
  host: string,
  port: number,
): Promise<{ reason: "refused" | "timed_out" | "unreachable"; code?: string } | undefined> {
  return new Promise((resolve) => {
    // A host starting with "/" is the directory of PostgreSQL's Unix socket.
    const socket = host.startsWith("/") ? connect({ path: `${host}/.s.PGSQL.${port}` }) : connect({ host, port });
    socket.setTimeout(PROBE_TIMEOUT_MS);
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve({ reason: "timed_out" });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      resolve({ reason: error.code === "ECONNREFUSED" ? "refused" : "unreachable", code: error.code });
    });
  });
}

/** The page the proxy answers with while the database is down: it reloads itself, with or without JavaScript. */
export function outagePage({ nonce }: { nonce: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${OUTAGE_RETRY_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${OUTAGE_TITLE}</title>
<style nonce="${nonce}">
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 20vh auto; padding: 0 1rem; text-align: center; }
h1 { font-size: 1.5rem; }
@media (prefers-color-scheme: dark) { body { background: #09090b; color: #e4e4e7; } a { color: #93c5fd; } }
</style></head>
<body><main><h1>${OUTAGE_TITLE}</h1><p role="status">${OUTAGE_TEXT}</p><p><a href="">Try again now</a></p></main></body></html>
`;
}
