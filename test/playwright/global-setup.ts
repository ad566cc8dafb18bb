import "../known-warnings";
import { createWriteStream, mkdirSync } from "node:fs";
import type { FullConfig } from "@playwright/test";
import { buildApp, startTestStack, type TestStack } from "../../scripts/lib/test-stack";
import { startAppServer, type AppServer } from "../../scripts/lib/app-server";
import { MICROSOFT_TENANTS } from "../../sandbox";
import { riscControl } from "../../sandbox/risc-client";

/** What a project's specs run against; test/playwright/fixtures.ts hands it to them as E2E_* variables. */
export type ProjectStack = { baseUrl: string; databaseUrl: string; sandboxUrl: string; appEnv: Record<string, string> };

/**
 * Everything the browser tests run against: a fresh production build, and for each project this
 * run selected (http, https; `--project` narrows it) a stack of its own, so the two projects can
 * run at the same time: a throwaway PostgreSQL, a sandbox (its refresh modes and clock are global
 * to it) and `next start` of that build. Set E2E_SKIP_BUILD=1 to reuse the last build while iterating.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) buildApp("inherit");

  // Logs for when a test fails: test-results/next-server[-https].log and sandbox[-https].log.
  mkdirSync("test-results", { recursive: true });
  const started: { stack: TestStack; app?: AppServer }[] = [];
  const stacks: Record<string, ProjectStack> = {};
  const stopAll = async () => {
    for (const { stack, app } of started) {
      await app?.stop();
      await stack.stop();
    }
  };
  try {
    for (const project of config.filteredProjects.map(({ name }) => name)) {
      const suffix = project === "https" ? "-https" : "";
      const sandboxLog = createWriteStream(`test-results/sandbox${suffix}.log`);
      const stack = await startTestStack(`e2e-${project}`, { log: (line) => sandboxLog.write(`${line}\n`) });
      const entry: (typeof started)[number] = { stack };
      started.push(entry);
      // Over https the app sits behind a TLS front and Auth.js uses `__Secure-` cookies.
      // Microsoft admits tenant A (Contoso) and personal accounts here: tenant B is refused (e2e/microsoft.spec.ts).
      stack.env.AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS = [MICROSOFT_TENANTS.contoso, MICROSOFT_TENANTS.personal].join(
        ",",
      );
      const app = await startAppServer(stack.env, {
        logFile: `test-results/next-server${suffix}.log`,
        https: project === "https",
      });
      entry.app = app;
      // The sandbox Google's "Remove access" notifies the app, as Cross-Account Protection would:
      // straight to the server, as a load balancer would pass it on (the sandbox does not trust
      // the TLS front's self-signed certificate).
      await riscControl(stack.sandbox.url).register(`${app.directUrl}/api/risc`);
      stacks[project] = {
        baseUrl: app.url,
        databaseUrl: stack.database.url,
        sandboxUrl: stack.sandbox.url,
        appEnv: stack.env,
      };
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  process.env.E2E_STACKS = JSON.stringify(stacks);
  return stopAll;
}
