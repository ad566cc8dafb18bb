import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase, temporaryDataDir } from "../../scripts/lib/embedded-database";
import { applyMigrations } from "../../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    tokenEncryptionKey: string;
  }
}

/** One throwaway embedded PostgreSQL with the committed migrations, for the integration tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await startEmbeddedDatabase({ dataDir: temporaryDataDir("vitest-db"), persistent: false });
  await applyMigrations(database.url);
  project.provide("databaseUrl", database.url);
  // One key for the whole run: test files share the database, so they must read each other's rows.
  project.provide("tokenEncryptionKey", `test:${randomBytes(32).toString("base64")}`);
  return () => database.stop();
}
