import { spawn } from "node:child_process";
import path from "node:path";
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

describe("Ctrl-C in a terminal", () => {
  // npm draws a spinner frame as it stops (then clears the line, which some terminals leave
  // showing). The project's .npmrc turns npm's progress display off.
  it.runIf(process.platform === "linux")(
    "leaves no spinner glyph of npm's behind",
    async () => {
      // util-linux's `script` gives npm a terminal; a ^C typed into it signals the foreground group.
      const terminal = spawn("script", ["-qfec", "npm run sandbox", "/dev/null"], {
        cwd: path.resolve(import.meta.dirname, ".."),
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      terminal.stdout.on("data", (chunk) => (output += chunk));
      terminal.stderr.on("data", (chunk) => (output += chunk));
      const exited = new Promise((resolve) => terminal.on("exit", resolve));
      try {
        await expect.poll(() => output, { timeout: 30_000 }).toContain("sandbox ready at");
        terminal.stdin.write("\x03");
        await exited;
        expect(output).not.toMatch(/[\u2800-\u28ff]/); // Braille patterns: npm's spinner frames
      } finally {
        if (terminal.exitCode === null) process.kill(-terminal.pid!, "SIGKILL");
      }
    },
    60_000,
  );
});
