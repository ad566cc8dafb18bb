import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { getDb } from "../../lib/db";
import { startSandbox, type Sandbox } from "../../sandbox";
import { sandboxControl, type SandboxControl } from "../../sandbox/test-client";
import { startEmbeddedDatabase, temporaryDataDir, type EmbeddedDatabase } from "../../scripts/lib/embedded-database";
import { applyMigrations } from "../../scripts/lib/migrate";

/**
 * For a test file that needs a PostgreSQL of its own (it restarts it, locks tables, or sweeps every
 * due account, which would reach into other files' rows in the shared one) and a sandbox. The
 * app's environment points at both; the sandbox is reset before each test. Call it at the top of
 * the file; use the getters inside tests.
 */
export function ownDatabaseAndSandboxForThisFile(name: string): {
  database: () => EmbeddedDatabase;
  sandbox: () => Sandbox;
  db: () => PrismaClient;
  control: () => SandboxControl;
} {
  let database: EmbeddedDatabase | undefined;
  let sandbox: Sandbox | undefined;
  let db: PrismaClient | undefined;
  beforeAll(async () => {
    database = await startEmbeddedDatabase({ dataDir: temporaryDataDir(`vitest-${name}-db`), persistent: false });
    await applyMigrations(database.url);
    sandbox = await startSandbox();
    // lib/env reads the environment on first use, and child processes inherit it.
    process.env.DATABASE_URL = database.url;
    process.env.SANDBOX_URL = sandbox.url;
    db = getDb();
    const [{ port }] = await db.$queryRaw<[{ port: number }]>`SELECT inet_server_port() AS port`;
    expect(port).toBe(Number(new URL(database.url).port)); // not the shared test database
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.close();
    await database?.stop();
  });
  beforeEach(async () => {
    await sandboxControl(sandbox!.url).reset();
  });
  return {
    database: () => database!,
    sandbox: () => sandbox!,
    db: () => db!,
    control: () => sandboxControl(sandbox!.url),
  };
}
