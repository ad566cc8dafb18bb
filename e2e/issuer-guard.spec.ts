import { expect, runsOwnServerSpecs, test } from "../test/playwright/fixtures";
import { startAppServer } from "../scripts/lib/app-server";

// These start servers of their own: once is enough.
test.beforeEach(({}, testInfo) => test.skip(!runsOwnServerSpecs(testInfo.project.name), "starts its own server"));

test("the app refuses to start with an http: issuer that is not on loopback", async () => {
  const env = JSON.parse(process.env.E2E_APP_ENV ?? "{}") as Record<string, string>;
  // Never contacted: the server must stop before any sign-in could reach it.
  const app = await startAppServer({ ...env, SANDBOX_URL: "http://10.255.255.1:4000" }, { waitUntilReady: false });
  try {
    await expect
      .poll(() => app.output(), { timeout: 30_000 })
      .toMatch(/SANDBOX_URL is an http: URL that is not on loopback/);
    await expect.poll(() => app.process.exitCode, { timeout: 30_000 }).not.toBeNull();
    expect(app.process.exitCode).not.toBe(0);
  } finally {
    await app.stop();
  }
});

test("a production server refuses the sandbox unless told it is a test, and then warns on every start", async () => {
  const env = JSON.parse(process.env.E2E_APP_ENV ?? "{}") as Record<string, string>;
  delete env.UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION;
  const refused = await startAppServer(env, { waitUntilReady: false });
  try {
    await expect.poll(() => refused.output(), { timeout: 30_000 }).toMatch(/SANDBOX_URL is set in production/);
    await expect.poll(() => refused.process.exitCode, { timeout: 30_000 }).toBe(1);
  } finally {
    await refused.stop();
  }
  const optedIn = await startAppServer({ ...env, UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: "true" });
  try {
    expect(optedIn.output()).toMatch(/WARNING: UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION is set/);
  } finally {
    await optedIn.stop();
  }
});
