import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("npm run worker", () => {
  it("on SIGTERM to npm's PID, says it stopped and exits 0", async () => {
    // The test database (test/vitest/setup-env.ts); nothing is due, so each sweep finds no work.
    const npm = spawn("npm", ["run", "worker"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (chunk) => (output += chunk));
    npm.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toContain("worker: sweeping every");
      npm.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output.trim().split("\n").at(-1)).toBe("worker: stopped");
    } finally {
      npm.kill("SIGKILL");
    }
  }, 30_000);
});
