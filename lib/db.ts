import "server-only";
import { PrismaClient } from "@prisma/client";
import { poolConfigFromUrl } from "./database-url";
import { createDatabaseAdapter } from "./database-adapter";
import { databaseFault } from "./database-fault";
import { databaseFaultLine } from "./database-fault-line";
import { getEnv } from "./env";
import { log } from "./log";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** The Prisma client, created on first use so that `next build` needs no database settings. */
export function getDb(): PrismaClient {
  // Kept on globalThis so hot reloads in development reuse one connection pool.
  globalForPrisma.prisma ??= new PrismaClient({
    adapter: createDatabaseAdapter(getEnv().DATABASE_URL),
  });
  return globalForPrisma.prisma;
}

/** Logs the one line that says which database failed and how, if `error` is a database fault. */
export function logDatabaseFault(error: unknown): void {
  const fault = databaseFault(error);
  if (fault)
    log.error("database.unavailable", {
      code: fault.reason,
      reason: databaseFaultLine(fault, poolConfigFromUrl(getEnv().DATABASE_URL)),
    });
}
