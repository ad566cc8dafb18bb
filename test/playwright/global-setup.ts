import "../known-warnings";
import { createWriteStream, mkdirSync } from "node:fs";
import { buildApp, startTestStack } from "../../scripts/lib/test-stack";
import { startAppServer } from "../../scripts/lib/app-server";
import { riscControl } from "../../sandbox/risc-client";

/**
 * Everything the browser tests run against: the test stack (throwaway PostgreSQL + sandbox) and
 * `next start` of a fresh production build. Set E2E_SKIP_BUILD=1 to reuse the last build while iterating.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) buildApp("inherit");

  // Logs for when a test fails: test-results/next-server.log and test-results/sandbox.log.
  mkdirSync("test-results", { recursive: true });
  const sandboxLog = createWriteStream("test-results/sandbox.log");
  const stack = await startTestStack("e2e", { log: (line) => sandboxLog.write(`${line}\n`) });
  // The same build twice: over http, and over https (secure, `__Secure-` cookies) behind a TLS front.
  const app = await startAppServer(stack.env, { logFile: "test-results/next-server.log" });
  const httpsApp = await startAppServer(stack.env, { logFile: "test-results/next-server-https.log", https: true });

  // The sandbox Google's "Remove access" notifies the app, as Cross-Account Protection would.
  await riscControl(stack.sandbox.url).register(`${app.url}/api/risc`);

  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_HTTPS_BASE_URL = httpsApp.url;
  process.env.E2E_DATABASE_URL = stack.database.url;
  process.env.E2E_SANDBOX_URL = stack.sandbox.url;
  process.env.E2E_APP_ENV = JSON.stringify(stack.env);

  return async () => {
    await app.stop();
    await httpsApp.stop();
    await stack.stop();
  };
}
