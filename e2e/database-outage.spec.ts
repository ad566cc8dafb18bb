import pg from "pg";
import { startAppServer, type AppServer } from "../scripts/lib/app-server";
import { insertSession } from "../scripts/lib/test-session";
import { startTestStack, type TestStack } from "../scripts/lib/test-stack";
import { expect, runsOwnServerSpecs, test } from "../test/playwright/fixtures";

// Stops PostgreSQL under a running app server: its own stack, so the shared one never goes down.
test.beforeEach(({}, testInfo) => test.skip(!runsOwnServerSpecs(testInfo.project.name), "starts its own server"));

let stack: TestStack;
let app: AppServer;
test.beforeAll(async () => {
  stack = await startTestStack("outage");
  app = await startAppServer(stack.env);
});
test.afterAll(async () => {
  await app?.stop();
  await stack?.stop();
});

async function signedInCookie(): Promise<string> {
  const client = new pg.Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    const [user] = (
      await client.query<{ id: string }>(
        `INSERT INTO "User" (id, email, "updatedAt") VALUES ('outage-user', 'outage@example.com', now()) RETURNING id`,
      )
    ).rows;
    return await insertSession(client, user!.id);
  } finally {
    await client.end();
  }
}

test("while PostgreSQL is down the API says 503 database_unavailable and pages wait, one log line each; the same cookie works once it is back", async ({
  browser,
}) => {
  const cookie = await signedInCookie();
  const context = await browser.newContext({ baseURL: app.url });
  await context.addCookies([
    { name: "authjs.session-token", value: cookie, url: app.url, httpOnly: true, sameSite: "Lax" },
  ]);
  const page = await context.newPage();
  expect((await page.request.get("/api/connected-accounts")).status()).toBe(200);
  await page.goto("/settings/profile");
  await expect(page.getByTestId("profile-email")).toHaveText("outage@example.com");

  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  let outageLog = "";
  await stack.database.restart(async () => {
    const logBefore = app.output().length;
    // The first page to meet the outage renders it itself: Next.js lets a page answer only 200
    // (or 500 when its render throws).
    const first = await page.goto("/settings/profile");
    expect(first?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
    for (const path of ["/api/connected-accounts", "/api/connected-accounts/google/token"]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBe(503);
      expect(response.headers()["retry-after"], path).toBe("5");
      expect((await response.json()).error, path).toMatchObject({
        code: "database_unavailable",
        message: expect.stringContaining("still signed in"),
      });
    }
    // The server now knows of the outage: the proxy answers pages with a 503 while it lasts.
    const response = await page.goto("/settings/profile");
    expect(response?.status()).toBe(503);
    expect(response?.headers()["retry-after"]).toBe("5");
    expect(new URL(page.url()).pathname).toBe("/settings/profile"); // not sent to sign in
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText("tries again by itself");
    const health = await page.request.head("/api/health");
    expect(health.status()).toBe(503);
    outageLog = app.output().slice(logBefore);
  });
  // One line per failed request (two pages, two API calls, a health check), and no stack trace.
  expect(outageLog.trim().split("\n")).toEqual(Array(5).fill(expect.stringMatching(/"event":"database.unavailable"/)));
  // React reports an error a server component threw in the browser's console (error #441); the
  // browser's own note on the 503 it was answered is the only line expected there.
  expect(consoleErrors).toEqual([
    "Failed to load resource: the server responded with a status of 503 (Service Unavailable)",
  ]);

  // The page reloads by itself and shows the signed-in user again, with the same cookie.
  await expect(page.getByTestId("profile-email")).toHaveText("outage@example.com", { timeout: 20_000 });
  expect((await page.request.get("/api/connected-accounts")).status()).toBe(200);
  expect((await context.cookies()).find((candidate) => candidate.name === "authjs.session-token")?.value).toBe(cookie);
  expect(app.output()).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+ unavailable: /);
  expect(app.output()).not.toContain("postgres:postgres@");
  await context.close();
});
