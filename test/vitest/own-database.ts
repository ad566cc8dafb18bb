import { afterAll, beforeAll, expect } from "vitest";
import { startEmbeddedDatabase, temporaryDataDir, type EmbeddedDatabase } from "../../scripts/lib/embedded-database";
import { applyMigrations } from "../../scripts/lib/migrate";
import { sandboxAndDatabaseForThisFile } from "./sandbox-and-database";

/**
 * For a test file that needs a PostgreSQL of its own (it restarts it, locks tables, or sweeps every
 * due account, which would reach into other files' rows in the shared one): that database, and
 * what sandboxAndDatabaseForThisFile gives, pointed at it. Call it at the top of the file; use the
 * getters inside tests.
 */
export function ownDatabaseAndSandboxForThisFile(name: string) {
  let database: EmbeddedDatabase | undefined;
  // Registered before the sandbox's hooks: the database starts before the app's client opens, and
  // stops after it is closed (vitest runs after-hooks in reverse order).
  beforeAll(async () => {
    database = await startEmbeddedDatabase({ dataDir: temporaryDataDir(`vitest-${name}-db`), persistent: false });
    await applyMigrations(database.url);
    // lib/env reads the environment on first use, and child processes inherit it.
    process.env.DATABASE_URL = database.url;
  }, 120_000);
  afterAll(() => database?.stop());
  const stack = sandboxAndDatabaseForThisFile();
  beforeAll(async () => {
    const [{ port }] = await stack.db().$queryRaw<[{ port: number }]>`SELECT inet_server_port() AS port`;
    expect(port).toBe(Number(new URL(database!.url).port)); // not the shared test database
  });
  return { ...stack, database: () => database! };
}
