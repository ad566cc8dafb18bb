import type { DatabaseFault, DatabaseFaultReason } from "./database-fault";

const WHAT_HAPPENED: Record<DatabaseFaultReason, string> = {
  refused: "connection refused (nothing listens on that port)",
  reset: "connection reset",
  closed: "connection closed by the server or the network",
  timed_out: "timed out (no answer from the server)",
  unreachable: "cannot connect (connection refused, or host unknown)",
  host_not_found: "host name not found",
  authentication: "authentication failed (check the user and password in DATABASE_URL)",
  database_missing: "the database named in DATABASE_URL does not exist",
  shutting_down: "the server is shutting down or restarting",
  starting_up: "the server is starting up",
  too_many_connections: "too many connections",
  tls: "TLS negotiation failed",
};

/**
 * One log line for a database fault: which server, and what happened. Takes only the host, port,
 * user and database, so the password in DATABASE_URL can never end up in a log.
 */
export function databaseFaultLine(
  fault: DatabaseFault,
  server: { host?: string; port?: number; user?: string; database?: string },
): string {
  const code = fault.code ? ` [${fault.code}]` : "";
  return `PostgreSQL at ${server.host ?? "?"}:${server.port ?? "?"} unavailable: ${whatHappened(fault, server)}${code}`;
}

function whatHappened({ reason }: DatabaseFault, { user, database }: { user?: string; database?: string }): string {
  // The two a wrong DATABASE_URL causes: name what it said.
  if (reason === "authentication" && user && database)
    return `authentication failed for user "${user}" on database "${database}" (check the user and password in DATABASE_URL)`;
  if (reason === "database_missing" && database)
    return `the database "${database}" named in DATABASE_URL does not exist`;
  return WHAT_HAPPENED[reason];
}
