import { AdapterError, SessionTokenError } from "@auth/core/errors";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { loggedRecords } from "@/test/vitest/capture-logs";
import { DatabaseUnavailableError } from "./database-fault";
import { createPrismaClient, logDatabaseFault } from "./db";

describe("logDatabaseFault", () => {
  it("logs a failed query once, however many catchers it reaches and however Auth.js wraps it", () => {
    // What lib/database-adapter.ts throws for a connection refused.
    const failure = refused();
    // What one failed session read reaches: Auth.js's adapter wrapper and its session action (each
    // log a new wrapper), then the page that reads the session.
    // Auth.js's types say string; it takes the error it wraps.
    const adapterError = new AdapterError(failure as never);
    logDatabaseFault(adapterError);
    logDatabaseFault(new SessionTokenError(adapterError as never));
    logDatabaseFault(new DatabaseUnavailableError({ reason: "refused" }, { cause: failure }));
    expect(faultLines()).toHaveLength(1);

    // Another request's failure is its own line.
    logDatabaseFault(refused());
    expect(faultLines()).toHaveLength(2);
  });
});

function faultLines() {
  return loggedRecords().filter((record) => record.level === "error");
}

function refused(): Error {
  const message = "PostgreSQL at 127.0.0.1:5432 unavailable: connection refused";
  return new DriverAdapterError({
    kind: "postgres",
    code: "ECONNREFUSED",
    severity: "FATAL",
    message,
    originalCode: "ECONNREFUSED",
    originalMessage: message,
    databaseFault: { reason: "refused", code: "ECONNREFUSED" },
  } as never);
}

describe("createPrismaClient", () => {
  it("lets a transaction wait for a busy pool as long as connect_timeout, past Prisma's 2 s", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set("connection_limit", "1");
    url.searchParams.set("connect_timeout", "6");
    const db = createPrismaClient(url.href);
    try {
      // The one connection is busy for 2.5 s; Prisma's default would give the transaction up at 2 s.
      const busy = db.$queryRaw`SELECT pg_sleep(2.5)::text`.then(() => "done"); // a Prisma query starts when awaited
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const value = await db.$transaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`);
      expect(value).toEqual([{ one: 1 }]);
      expect(Date.now() - started).toBeGreaterThan(2_000);
      expect(await busy).toBe("done");
    } finally {
      await db.$disconnect();
    }
  }, 15_000);

  it("fails a statement that waits over 5 s for a lock, rather than waiting without end", async () => {
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    const db = createPrismaClient(process.env.DATABASE_URL!);
    try {
      await holder.query("SELECT pg_advisory_lock(4242)");
      const started = Date.now();
      await expect(db.$queryRaw`SELECT pg_advisory_lock(4242)::text`).rejects.toThrow(/lock timeout/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    } finally {
      await db.$disconnect();
      await holder.end();
    }
  }, 15_000);
});
