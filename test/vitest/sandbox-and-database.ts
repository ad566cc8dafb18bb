import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { getDb } from "../../lib/db";
import { discoverIssuers } from "../../lib/providers";
import { startSandbox, type Sandbox } from "../../sandbox";
import { sandboxControl, type SandboxControl } from "../../sandbox/test-client";

/**
 * For a test file that runs the app's token code against the sandbox: one sandbox for the file,
 * the app's environment pointed at it, the app's database client, and a fresh sandbox before
 * each test. Call it at the top of the file; use the getters inside tests.
 */
export function sandboxAndDatabaseForThisFile(): {
  sandbox: () => Sandbox;
  db: () => PrismaClient;
  control: () => SandboxControl;
} {
  let sandbox: Sandbox | undefined;
  let db: PrismaClient | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox();
    process.env.SANDBOX_URL = sandbox.url; // lib/env reads the environment on first use: after this line
    db = getDb();
    await discoverIssuers(); // as the server does when it starts: the generic issuer's endpoints
  });
  afterAll(async () => {
    await sandbox?.close();
    await db?.$disconnect();
  });
  beforeEach(async () => {
    await sandboxControl(sandbox!.url).reset();
  });
  return { sandbox: () => sandbox!, db: () => db!, control: () => sandboxControl(sandbox!.url) };
}
