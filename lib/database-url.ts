import type { PoolConfig } from "pg";

/**
 * Splits a postgres:// URL into the separate fields the pg driver adapter needs.
 * With a plain `connectionString`, `prisma migrate dev` would use the main database
 * as its shadow database.
 */
export function poolConfigFromUrl(databaseUrl: string): PoolConfig {
  const url = new URL(databaseUrl);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${url.protocol}//)`);
  }
  const sslmode = url.searchParams.get("sslmode");
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
  };
}
