import { expect, linkFromSettings, signInOverHttp, test, uniqueEmail, type Sql } from "../test/playwright/fixtures";

// The limits are per user and per minute of the database's clock (defaults: 120 token reads, 10
// account changes). Each test makes one real request to create its counter, then sets the count
// just below the limit in the current window, so what it checks (the last allowed request and the
// first refused one) takes a second or two: a loaded machine cannot push it across a minute.
async function setCountInThisMinute(sql: Sql, email: string, bucket: string, count: number) {
  const secondsIntoMinute = (await sql<{ s: number }>(`SELECT extract(second FROM now())::int AS s`))[0]!.s;
  if (secondsIntoMinute > 40) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
  const updated = await sql(
    `UPDATE "RateLimit" r SET "count" = $3, "windowStart" = date_trunc('minute', now() AT TIME ZONE 'UTC')
       FROM "User" u WHERE u.email = $1 AND r.key = $2 || ':' || u.id RETURNING r.key`,
    [email, bucket, count],
  );
  expect(updated, `the ${bucket} counter of ${email}`).toHaveLength(1);
}

test("the token endpoint allows 120 reads a minute per user, then answers 429 with Retry-After", async ({
  page,
  browser,
  baseURL,
  sql,
}) => {
  const email = uniqueEmail("limit-token");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();

  expect((await page.request.get("/api/connected-accounts/google/token")).status()).toBe(200);
  await setCountInThisMinute(sql, email, "token", 119);
  expect((await page.request.get("/api/connected-accounts/google/token")).status(), "the 120th read").toBe(200);

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
  await signInOverHttp(other, "Google", uniqueEmail("limit-other"));
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
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await linkFromSettings(page, "GitHub", uniqueEmail("limit-gh")); // 1

  const startLink = async () => {
    await page.goto("/settings/connected-accounts");
    await accountsPage.card("google").getByRole("button", { name: "Connect another Google account" }).click();
  };
  await setCountInThisMinute(sql, email, "account_change", 9);
  await startLink();
  await expect(page.getByTestId("sandbox-email-input"), "the 10th change").toBeVisible();
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
