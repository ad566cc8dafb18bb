import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { providerRegistry } from "../../lib/providers/registry";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox";
import { startEmbeddedDatabase, temporaryDataDir, type EmbeddedDatabase } from "./embedded-database";
import { applyMigrations } from "./migrate";

export type TestStack = {
  database: EmbeddedDatabase;
  sandbox: Sandbox;
  /** The app's environment for this stack: its database, the sandbox for every provider, fresh secrets. */
  env: Record<string, string>;
  stop(): Promise<void>;
};

/**
 * What browser tests and benchmarks run against, on loopback and free ports: a throwaway embedded
 * PostgreSQL with the committed migrations, and the sandbox identity provider.
 */
export async function startTestStack(
  name: string,
  sandboxOptions: SandboxOptions = {},
  migrate: (databaseUrl: string) => Promise<unknown> = applyMigrations,
): Promise<TestStack> {
  const database = await startEmbeddedDatabase({ dataDir: temporaryDataDir(`${name}-db`), persistent: false });
  await migrate(database.url);
  const sandbox = await startSandbox(sandboxOptions);
  return {
    database,
    sandbox,
    env: {
      DATABASE_URL: database.url,
      SANDBOX_URL: sandbox.url,
      // The browser tests and benchmarks run a production build (next start) against the sandbox.
      UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: "true",
      AUTH_SECRET: randomBytes(33).toString("base64url"),
      TOKEN_ENCRYPTION_KEY: `${name}:${randomBytes(32).toString("base64")}`,
      CRON_SECRET: randomBytes(24).toString("base64url"),
      // Blank real credentials, so a developer's .env.local never sends tests to the real providers.
      ...Object.fromEntries(
        providerRegistry.flatMap(({ credentialsEnv, settingsEnv }) => [
          [credentialsEnv.id, ""],
          [credentialsEnv.secret, ""],
          ...Object.keys(settingsEnv ?? {}).map((name) => [name, ""]),
        ]),
      ),
    },
    stop: async () => {
      await sandbox.close();
      await database.stop();
    },
  };
}

/** `next build` of the app, as `next start` will serve it. */
export function buildApp(stdio: "inherit" | "ignore"): void {
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  execFileSync(process.execPath, [nextBin, "build"], { stdio, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}
