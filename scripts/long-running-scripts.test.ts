import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./lib/free-port";
import { commandOf, descendants, isAlive } from "./lib/process-tree";

// Each npm in a process group of its own, so that whatever it started is killed afterwards even if
// the test failed before it knew the pids.
const groups: number[] = [];
afterEach(() => {
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // all gone
    }
  }
});

// A process manager, `docker stop` or a pidfile signals npm's PID alone. `npm run dev`, `npm start`
// and `npm run worker` have tests of their own (scripts/dev.test.ts, e2e/npm-start.spec.ts,
// scripts/worker.test.ts).
describe("long-running npm scripts stop on one SIGTERM to npm's PID", () => {
  it.each([
    { script: "sandbox", args: [], ready: "sandbox ready at" },
    // The test database (test/vitest/setup-env.ts).
    { script: "db:studio", args: ["--browser", "none", "--port"], ready: "Prisma Studio is up" },
  ])(
    "npm run $script",
    async ({ script, args, ready }) => {
      const npm = spawn("npm", ["run", script, "--", ...(args.length ? [...args, String(await freePort())] : [])], {
        cwd: path.resolve(import.meta.dirname, ".."),
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      npm.stdout.on("data", (chunk) => (output += chunk));
      npm.stderr.on("data", (chunk) => (output += chunk));
      await expect.poll(() => output, { timeout: 30_000 }).toContain(ready);
      const tree = [npm.pid!, ...descendants(npm.pid!)];

      npm.kill("SIGTERM");
      await expect.poll(() => tree.filter(isAlive).map(commandOf), { timeout: 10_000 }).toEqual([]);
    },
    60_000,
  );
});
