import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startEmbeddedDatabase, temporaryDataDir } from "../../scripts/lib/embedded-database";
import { applyMigrations } from "../../scripts/lib/migrate";
import { startSandbox } from "../sandbox";
import { startAppServer } from "./app-server";

/**
 * Everything the browser tests run against, on loopback and free ports: a throwaway embedded
 * PostgreSQL, the sandbox identity provider, and `next start` of a fresh production build.
 * Set E2E_SKIP_BUILD=1 to reuse the last build while iterating.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) {
    const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
    execFileSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }

  // Logs for when a test fails: test-results/next-server.log and test-results/sandbox.log.
  mkdirSync("test-results", { recursive: true });
  const database = await startEmbeddedDatabase({ dataDir: temporaryDataDir("e2e-db"), persistent: false });
  await applyMigrations(database.url);
  const sandboxLog = createWriteStream("test-results/sandbox.log");
  const sandbox = await startSandbox({ log: (line) => sandboxLog.write(`${line}\n`) });

  const appEnv = {
    DATABASE_URL: database.url,
    SANDBOX_URL: sandbox.url,
    AUTH_SECRET: randomBytes(33).toString("base64url"),
    TOKEN_ENCRYPTION_KEY: `e2e:${randomBytes(32).toString("base64")}`,
    AUTH_GOOGLE_ID: "",
    AUTH_GOOGLE_SECRET: "",
    AUTH_GITHUB_ID: "",
    AUTH_GITHUB_SECRET: "",
  };
  const app = await startAppServer(appEnv, { logFile: "test-results/next-server.log" });

  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_DATABASE_URL = database.url;
  process.env.E2E_SANDBOX_URL = sandbox.url;
  process.env.E2E_APP_ENV = JSON.stringify(appEnv);

  return async () => {
    await app.stop();
    await sandbox.close();
    await database.stop();
  };
}
