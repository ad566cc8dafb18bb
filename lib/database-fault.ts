/**
 * Why the database could not serve a query at all (the server is down, restarting, unreachable, or
 * refused our credentials), as opposed to an error of the query itself. `code` is what the driver
 * or the server said: a Node socket code (ECONNREFUSED), a PostgreSQL SQLSTATE (57P01), or none.
 */
export type DatabaseFault = { reason: DatabaseFaultReason; code?: string };

export type DatabaseFaultReason =
  | "refused"
  | "reset"
  | "closed"
  | "timed_out"
  | "unreachable"
  | "host_not_found"
  | "authentication"
  | "database_missing"
  | "shutting_down"
  | "starting_up"
  | "too_many_connections"
  | "tls";

const BY_CODE: Record<string, DatabaseFaultReason> = {
  // Node sockets and DNS
  ECONNREFUSED: "refused",
  ECONNRESET: "reset",
  EPIPE: "reset",
  ETIMEDOUT: "timed_out",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  ENOTFOUND: "host_not_found",
  EAI_AGAIN: "host_not_found",
  // PostgreSQL SQLSTATEs (class 08, connection exceptions, is matched by prefix below)
  "28P01": "authentication",
  "28000": "authentication",
  "3D000": "database_missing",
  "57P01": "shutting_down", // admin_shutdown: a restart or a fast shutdown
  "57P02": "shutting_down", // crash_shutdown
  "57P03": "starting_up", // cannot_connect_now
  "53300": "too_many_connections",
  // Prisma's own codes, when it has already translated the driver's error
  P1000: "authentication",
  P1001: "unreachable",
  P1002: "timed_out",
  P1003: "database_missing",
  P1008: "timed_out",
  P1017: "closed",
  P2037: "too_many_connections",
};

// What @prisma/adapter-pg reports once it has recognised a driver error (its `kind`).
const BY_ADAPTER_KIND: Record<string, DatabaseFaultReason> = {
  DatabaseNotReachable: "unreachable",
  ConnectionClosed: "reset",
  SocketTimeout: "timed_out",
  AuthenticationFailed: "authentication",
  DatabaseAccessDenied: "authentication",
  DatabaseDoesNotExist: "database_missing",
  TooManyConnections: "too_many_connections",
  TlsConnectionError: "tls",
};

// node-postgres and pg-pool say these in words only, with no code.
const BY_MESSAGE: [RegExp, DatabaseFaultReason][] = [
  [/connection timeout|timeout exceeded when trying to connect|Query read timeout/i, "timed_out"],
  [/Connection terminated|not queryable|Server has closed the connection/i, "closed"],
];

/**
 * The fault behind `error`, if it is one: looks through Prisma's wrappers (meta.driverAdapterError),
 * the adapter's payload (`kind`), `cause` chains and AggregateErrors down to the driver's error.
 */
export function databaseFault(error: unknown, depth = 0): DatabaseFault | undefined {
  if (typeof error !== "object" || error === null || depth > 6) return undefined;
  const fields = error as Record<string, unknown>;
  // Already classified: by lib/database-adapter.ts, or a DatabaseUnavailableError.
  if (typeof fields.databaseFault === "object" && fields.databaseFault !== null)
    return fields.databaseFault as DatabaseFault;
  const kind = typeof fields.kind === "string" ? fields.kind : undefined;
  const code = [fields.code, fields.originalCode, fields.errorCode].find(
    (value): value is string => typeof value === "string" && value !== "N/A",
  );
  const reason =
    (code && (BY_CODE[code] ?? (/^08...$/.test(code) ? "closed" : undefined))) ||
    (kind && BY_ADAPTER_KIND[kind]) ||
    (typeof fields.message === "string" && !code
      ? BY_MESSAGE.find(([pattern]) => pattern.test(fields.message as string))?.[1]
      : undefined);
  if (reason) return { reason, code: code && !code.startsWith("P") ? code : undefined };
  const meta = fields.meta as { driverAdapterError?: unknown } | undefined;
  const inner = [meta?.driverAdapterError, fields.cause, ...(Array.isArray(fields.errors) ? fields.errors : [])];
  for (const candidate of inner) {
    const found = databaseFault(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The digest Next.js hands a page's error boundary (app/error.tsx) for a DatabaseUnavailableError. */
export const DATABASE_UNAVAILABLE_DIGEST = "database_unavailable";

/** Thrown where the app would otherwise have read an outage as something else (e.g. "not signed in"). */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  readonly digest = DATABASE_UNAVAILABLE_DIGEST;
  constructor(
    readonly databaseFault: DatabaseFault,
    options?: ErrorOptions,
  ) {
    super(`The database is unavailable (${databaseFault.reason})`, options);
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseFault(error) !== undefined;
}
