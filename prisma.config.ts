import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { poolConfigFromUrl } from "./lib/database-url";

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
  adapter: async () => new PrismaPg({ ...poolConfigFromUrl(databaseUrl), allowExitOnIdle: true }),
});
