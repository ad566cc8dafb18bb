import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, temporaryDataDir } from "./lib/embedded-database";
import { freePort } from "./lib/free-port";
import { commandOf, descendants, isAlive } from "./lib/process-tree";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `npm run dev` as a newcomer runs it, on free ports and a throwaway cluster; resolves once Next is ready. */
async function startNpmRunDev() {
  const dataDir = temporaryDataDir("dev-signals");
  const port = await freePort();
  const npm = spawn("npm", ["run", "dev", "--", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      ...process.env,
      DEV_DATA_DIR: dataDir,
      DATABASE_URL: "",
      SANDBOX_PORT: "0",
      AUTH_SECRET: randomBytes(33).toString("base64url"),
      TOKEN_ENCRYPTION_KEY: `dev-test:${randomBytes(32).toString("base64")}`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as a terminal gives it: a Ctrl-C there signals the whole group.
    detached: true,
  });
  let output = "";
  npm.stdout.on("data", (chunk) => (output += chunk));
  npm.stderr.on("data", (chunk) => (output += chunk));
  let tree: number[] = [];
  cleanups.push(async () => {
    for (const pid of [npm.pid!, ...tree]) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    npm.unref();
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  const deadline = Date.now() + 90_000;
  while (!/Ready in/.test(output)) {
    if (npm.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm run dev was not ready within 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  tree = descendants(npm.pid!);
  return { npm, tree, output: () => output };
}

describe("npm run dev", () => {
  // An IDE's stop button or a process manager signals npm's PID only; a terminal's Ctrl-C signals
  // the whole process group.
  const stops = [
    { signal: "SIGTERM", to: "npm alone" },
    { signal: "SIGINT", to: "npm alone" },
    { signal: "SIGINT", to: "the process group (Ctrl-C)" },
  ] as const;
  for (const { signal, to } of stops) {
    it(`stops PostgreSQL, the sandbox and Next within seconds on ${signal} to ${to}`, async () => {
      const dev = await startNpmRunDev();
      const commands = dev.tree.map(commandOf);
      expect(commands.some((command) => command.includes("bin/postgres"))).toBe(true);
      expect(commands.some((command) => command.includes("scripts/dev.ts"))).toBe(true);

      const signalledAt = Date.now();
      process.kill(to === "npm alone" ? dev.npm.pid! : -dev.npm.pid!, signal);
      const deadline = signalledAt + 10_000;
      let alive = dev.tree.filter(isAlive);
      while (alive.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        alive = dev.tree.filter(isAlive);
      }
      expect(
        alive.map((pid) => `${pid}: ${commandOf(pid)}`),
        dev.output(),
      ).toEqual([]);
      // A normal stop says so, and nothing alarming: no FATAL from PostgreSQL, no empty labelled lines.
      const stopped = dev.output().slice(dev.output().indexOf("stopping"));
      expect(stopped).not.toMatch(/FATAL|ERROR/);
      expect(dev.output()).not.toMatch(/^\[\w+\](?:\s|\x1b\[[0-9;?]*[A-Za-z])*$/m);
    }, 150_000);
  }
});

describe("npm run dev, when the embedded PostgreSQL is already running (a second npm run dev)", () => {
  it("says so in one line and exits 1", async () => {
    const dataDir = temporaryDataDir("dev-second");
    const held = await startEmbeddedDatabase({ dataDir, persistent: false });
    try {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const npm = spawn("npm", ["run", "dev"], {
          cwd: path.resolve(import.meta.dirname, ".."),
          env: {
            ...process.env,
            DEV_DATA_DIR: dataDir,
            DATABASE_URL: "",
            AUTH_SECRET: randomBytes(33).toString("base64url"),
            TOKEN_ENCRYPTION_KEY: `dev-test:${randomBytes(32).toString("base64")}`,
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        npm.stdout.on("data", (chunk) => (output += chunk));
        npm.stderr.on("data", (chunk) => (output += chunk));
        npm.on("exit", (code) => resolve({ code, output }));
      });
      expect(result.code).toBe(1);
      // npm's own lines first ("> … dev", the command), the Node 20 warning of the sandbox's library.
      const ours = result.output.split("\n").filter((line) => line.startsWith("[") || /error|at /i.test(line));
      expect(ours).toEqual([
        expect.stringMatching(
          /^\[dev\] +PostgreSQL \(PID \d+\) already runs on .*: is another `npm run dev` running\?/,
        ),
      ]);
    } finally {
      await held.stop();
    }
  }, 60_000);
});
