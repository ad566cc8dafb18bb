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
});
