import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase, temporaryDataDir } from "../scripts/lib/embedded-database";
import { applyMigrations } from "../scripts/lib/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** One throwaway embedded PostgreSQL with the committed migrations, for the integration tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await startEmbeddedDatabase({ dataDir: temporaryDataDir("vitest-db"), persistent: false });
  await applyMigrations(database.url);
  project.provide("databaseUrl", database.url);
  return () => database.stop();
}
