import { afterEach, describe, expect, it } from "vitest";
import { killNpmScripts, runNpmScript } from "./lib/npm-script";
import { freePort } from "./lib/free-port";
import { commandOf, descendants, isAlive } from "./lib/process-tree";

// A process manager, `docker stop` or a pidfile signals npm's PID alone. `npm run dev`, `npm start`
// and `npm run worker` have tests of their own (scripts/dev.test.ts, e2e/npm-start.spec.ts,
// scripts/worker.test.ts).
afterEach(killNpmScripts);

describe("long-running npm scripts stop on one SIGTERM to npm's PID", () => {
  it.each([
    { script: "sandbox", args: [], ready: "sandbox ready at" },
    // The test database (test/vitest/setup-env.ts).
    { script: "db:studio", args: ["--browser", "none", "--port"], ready: "Prisma Studio is up" },
  ])(
    "npm run $script",
    async ({ script, args, ready }) => {
      const { npm, output } = runNpmScript(script, args.length ? [...args, String(await freePort())] : []);
      await expect.poll(output, { timeout: 30_000 }).toContain(ready);
      const tree = [npm.pid!, ...descendants(npm.pid!)];

      npm.kill("SIGTERM");
      await expect.poll(() => tree.filter(isAlive).map(commandOf), { timeout: 10_000 }).toEqual([]);
    },
    60_000,
  );
});
