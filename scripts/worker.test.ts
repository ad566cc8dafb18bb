import { afterEach, describe, expect, it } from "vitest";
import { killNpmScripts, runNpmScript } from "./lib/npm-script";

afterEach(killNpmScripts);

describe("npm run worker", () => {
  it("on SIGTERM to npm's PID, says it stopped and exits 0", async () => {
    // The test database (test/vitest/setup-env.ts); nothing is due, so each sweep finds no work.
    const { npm, output } = runNpmScript("worker");
    const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
    await expect.poll(output, { timeout: 20_000 }).toContain("worker: sweeping every");
    npm.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output().trim().split("\n").at(-1)).toBe("worker: stopped");
  }, 30_000);

  it("an unknown event type in WEBHOOK_EVENTS stops it at start, in one line", async () => {
    process.env.WEBHOOK_EVENTS = "connected_account.revoked,account.deleted";
    try {
      const { npm, output } = runNpmScript("worker");
      const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
      expect(await exited).toBe(1);
      expect(output()).toContain(
        "worker: Invalid environment: WEBHOOK_EVENTS names unknown event types: account.deleted. See .env.example.",
      );
      expect(output()).not.toContain("sweeping every");
    } finally {
      delete process.env.WEBHOOK_EVENTS;
    }
  }, 30_000);
});
