import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";

const run = promisify(execFile);
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

/** Applies the committed migrations (`prisma migrate deploy`) to the database at `databaseUrl`. */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  const { stdout } = await run(process.execPath, [prismaCli, "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  return stdout;
}
