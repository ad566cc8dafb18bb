import "server-only";
import { PrismaClient } from "@prisma/client";
import { poolConfigFromUrl } from "./database-url";
import { createDatabaseAdapter } from "./database-adapter";
import { databaseFault } from "./database-fault";
import { databaseFaultLine } from "./database-fault-line";
import { noteDatabaseFault } from "./database-outage";
import { getEnv } from "./env";
import { log } from "./log";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** The Prisma client, created on first use so that `next build` needs no database settings. */
export function getDb(): PrismaClient {
  // Kept on globalThis so hot reloads in development reuse one connection pool.
  globalForPrisma.prisma ??= createPrismaClient(getEnv().DATABASE_URL);
  return globalForPrisma.prisma;
}

/**
 * How long a statement of the app waits for a row or table lock before it fails (PostgreSQL's
 * lock_timeout, on every connection of the app's pool; not the migrate CLI's). Interactive
 * transactions end after Prisma's 5 s anyway; this bounds the single statements too (a refresh's
 * claim and its write, the note of a use), so a lock held by hand or by a long migration fails a
 * call with an error instead of holding it, its connection and its refresh slot without end.
 */
const LOCK_TIMEOUT_MS = 5_000;

// Prisma's own default, kept when connect_timeout=0 (wait without limit) is asked for.
const PRISMA_DEFAULT_MAX_WAIT_MS = 2_000;

/**
 * A Prisma client on `databaseUrl`. A transaction waits for a free connection as long as a lone
 * query does (connect_timeout), not Prisma's 2 s: under a burst the pool is busy, not the database
 * down, and a transaction given up on there can lose a rotated refresh token the provider will
 * not hand out again.
 */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const connectTimeoutMs = poolConfigFromUrl(databaseUrl).connectionTimeoutMillis ?? 0;
  return new PrismaClient({
    adapter: createDatabaseAdapter(databaseUrl, { lock_timeout: LOCK_TIMEOUT_MS }),
    transactionOptions: { maxWait: connectTimeoutMs || PRISMA_DEFAULT_MAX_WAIT_MS },
  });
}

// The errors already logged: one failed query reaches several catchers (Auth.js's logger, which
// reports a failed session read twice, then the page or route that reads the session).
const logged = new WeakSet<object>();

/** Logs the one line that says which database failed and how, if `error` is a database fault, once per fault. */
export function logDatabaseFault(error: unknown): void {
  const fault = databaseFault(error);
  if (!fault) return;
  noteDatabaseFault();
  const chain = causeChain(error);
  if (chain.some((link) => logged.has(link))) return;
  for (const link of chain) logged.add(link);
  log.error("database.unavailable", {
    code: fault.reason,
    reason: databaseFaultLine(fault, poolConfigFromUrl(getEnv().DATABASE_URL)),
  });
}

/**
 * `error` and its causes, as far as they are objects. Auth.js wraps an error as `{ cause: { err } }`,
 * a new wrapper each time it logs the same failure, so `err` is followed too.
 */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  for (let link = error; typeof link === "object" && link !== null && chain.length < 8;) {
    chain.push(link);
    const { cause, err } = link as { cause?: unknown; err?: unknown };
    link = cause ?? err;
  }
  return chain;
}
