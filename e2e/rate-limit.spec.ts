import { expect, linkFromSettings, signInWithSandbox, test, uniqueEmail } from "../test/playwright/fixtures";

// The limits are per user and per wall-clock minute (defaults: 120 token reads, 10 account
// changes). Start early in a minute so the whole test runs inside one window.
test.beforeEach(async () => {
  const secondsIntoMinute = new Date().getSeconds();
  if (secondsIntoMinute > 30) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
});

test("the token endpoint allows 120 reads a minute per user, then answers 429 with Retry-After", async ({
  page,
  browser,
  baseURL,
}) => {
  await signInWithSandbox(page, "Google", uniqueEmail("limit-token"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();

  const statuses = [];
  for (let i = 0; i < 120; i++)
    statuses.push((await page.request.get("/api/connected-accounts/google/token")).status());
  expect(new Set(statuses)).toEqual(new Set([200]));

  const limited = await page.request.get("/api/connected-accounts/google/token");
  expect(limited.status()).toBe(429);
  const retryAfter = Number(limited.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect((await limited.json()).error).toEqual({
    code: "rate_limited",
    message: "Too many requests in a short time. Wait a minute, then try again.",
    retryAfterSeconds: retryAfter,
  });

  // Another user is not affected.
  const other = await browser.newPage({ baseURL, ignoreHTTPSErrors: true });
  await signInWithSandbox(other, "Google", uniqueEmail("limit-other"));
  await expect(other.getByTestId("signed-in-email")).toBeVisible();
  expect((await other.request.get("/api/connected-accounts/google/token")).status()).toBe(200);
  await other.close();
});

test("starting links and disconnecting share a limit of 10 a minute; past it the page says so and nothing changes", async ({
  page,
  accountsPage,
  sql,
}) => {
  const email = uniqueEmail("limit-actions");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await linkFromSettings(page, "GitHub", uniqueEmail("limit-gh")); // 1

  const startLink = async () => {
    await page.goto("/settings/connected-accounts");
    await accountsPage.card("google").getByRole("button", { name: "Connect another Google account" }).click();
  };
  for (let i = 2; i <= 10; i++) {
    await startLink();
    await expect(page.getByTestId("sandbox-email-input"), `link start ${i}`).toBeVisible();
  }
  // Waiting starts first: the page drops ?error= from the address once it has shown it.
  const refused = page.waitForURL(/\/settings\/connected-accounts\?error=rate_limited$/);
  await startLink();
  await refused;
  await expect(page.getByTestId("toast")).toHaveText(
    "Too many requests in a short time. Wait a minute, then try again.",
  );

  await page.goto("/settings/connected-accounts");
  await accountsPage.card("github").getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("toast")).toHaveText(
    "Too many requests in a short time. Wait a minute, then try again.",
  );
  const providers = await sql<{ provider: string }>(
    `SELECT a.provider FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 ORDER BY a.provider`,
    [email],
  );
  expect(providers).toEqual([{ provider: "github" }, { provider: "google" }]);
});
