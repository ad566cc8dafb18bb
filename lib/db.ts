import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { poolConfigFromUrl } from "./database-url";
import { getEnv } from "./env";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** The Prisma client, created on first use so that `next build` needs no database settings. */
export function getDb(): PrismaClient {
  // Kept on globalThis so hot reloads in development reuse one connection pool.
  globalForPrisma.prisma ??= new PrismaClient({
    adapter: new PrismaPg(poolConfigFromUrl(getEnv().DATABASE_URL)),
  });
  return globalForPrisma.prisma;
}
