import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// CHROMIUM_PATH if set; else Debian's headless shell (`apt-get install chromium-headless-shell`), the
// same engine as Debian's Chromium without the desktop browser's display work, a third less CPU
// per browser test here; else Debian's Chromium; otherwise Playwright's own browser
// (`npx playwright install chromium`).
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find(
  (candidate) => candidate && existsSync(candidate),
);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./test/playwright/global-setup.ts",
  // The two projects run side by side, each on its own stack (global-setup.ts); within a project one
  // spec at a time, since specs share its app, database and sandbox.
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // A test of several steps (sign in, link, grant, reload twice) takes 20-40 s on a quiet 2-core
  // machine and went past 60 s on a loaded one; a failing test still fails, only later.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // Every spec runs twice: against the app over http, and over https, where Auth.js switches to
  // `__Secure-` cookie names (test/playwright/fixtures.ts picks the project's stack by name).
  // Each project has an output folder of its own: .ci/run runs them as two runs side by side (one
  // per Node version), and a run clears only its projects' folders.
  projects: [
    { name: "http", workers: 1, outputDir: "test-results/http" },
    { name: "https", workers: 1, outputDir: "test-results/https", use: { ignoreHTTPSErrors: true } },
  ],
  use: {
    ...devices["Desktop Chrome"],
    // A failed test keeps its trace: each step's DOM, network and console. Not a video of the screen
    // (`screenshots`): encoding it cost the browser a third of its CPU, and the failure's own
    // screenshot is kept below.
    trace: { mode: "retain-on-failure", screenshots: false },
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        // The https project's TLS front has a self-signed certificate for localhost.
        "--ignore-certificate-errors",
      ],
    },
  },
});
