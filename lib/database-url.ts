import type { PoolConfig } from "pg";

/**
 * Splits a postgres:// URL into the separate fields the pg driver adapter needs.
 * With a plain `connectionString`, `prisma migrate dev` would use the main database
 * as its shadow database. Besides `sslmode`, it reads the parameters Prisma documents for
 * connection URLs: `connect_timeout` (seconds, 0 = wait forever) and `connection_limit`.
 */
export function poolConfigFromUrl(databaseUrl: string): PoolConfig {
  if (!URL.canParse(databaseUrl)) throw new Error("DATABASE_URL must be a postgres:// URL");
  const url = new URL(databaseUrl);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${url.protocol}//)`);
  }
  const schema = url.searchParams.get("schema");
  if (schema !== null && schema !== "public") {
    // Prisma's CLI prints the requested schema, but the driver adapter would put the tables in public.
    throw new Error(
      `DATABASE_URL parameter schema is not supported (got ${JSON.stringify(schema)}): the tables would land in public; give the app a database of its own instead`,
    );
  }
  const sslmode = url.searchParams.get("sslmode");
  return {
    // Without a timeout, a database host that drops packets holds every query for minutes.
    connectionTimeoutMillis: integerParam(url, "connect_timeout", { fallback: 10, min: 0 }) * 1000,
    max: integerParam(url, "connection_limit", { fallback: 10, min: 1 }),
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || "postgres",
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
  };
}

function integerParam(url: URL, name: string, { fallback, min }: { fallback: number; min: number }): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(
      `DATABASE_URL parameter ${name} must be a whole number of at least ${min} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}
