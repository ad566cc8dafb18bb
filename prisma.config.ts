import { defineConfig } from "prisma/config";
import { createDatabaseAdapter } from "./lib/database-adapter";

// The CLI insists on a URL even for commands that never connect (e.g. `prisma generate`);
// without one it tries to download a query engine, which is not needed with driver adapters.
process.env.DATABASE_URL ??= "postgres://placeholder:placeholder@127.0.0.1:5432/placeholder";
const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  // allowExitOnIdle: the CLI never closes this pool, whose idle connections would hold every
  // command open for pg's 10 s idle timeout after its last line.
  adapter: async () => createDatabaseAdapter(databaseUrl, { allowExitOnIdle: true }),
});
