import { expect, signInWithSandbox, test, uniqueEmail } from "./support/fixtures";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";

async function chooseSandboxAccount(page: import("@playwright/test").Page, email: string) {
  await page.getByTestId("sandbox-email-input").fill(email);
  await page.getByTestId("sandbox-email-submit").click();
}

test("a signed-in user links GitHub: same user, two accounts, no second user", async ({ page, sql }) => {
  const email = uniqueEmail("linker");
  const githubEmail = uniqueEmail("linked-gh");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);

  await page.goto("/connect/github");
  await chooseSandboxAccount(page, githubEmail);
  await expect(page.getByTestId("linked-accounts").locator("[data-provider=github]")).toContainText(githubEmail);

  const rows = await sql<{ email: string; provider: string }>(
    `SELECT u.email, a.provider FROM "Account" a JOIN "User" u ON u.id = a."userId"
     WHERE a.email = ANY($1) ORDER BY a.provider`,
    [[email, githubEmail]],
  );
  expect(rows).toEqual([
    { email, provider: "github" },
    { email, provider: "google" },
  ]);
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [githubEmail])).toHaveLength(0);
});

test("granting an extra Google scope adds it to the same account (incremental authorization)", async ({ page, sql }) => {
  const email = uniqueEmail("upgrade");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  expect((await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`)).status()).toBe(403);

  await page.goto(`/connect/google?scopes=${encodeURIComponent(DRIVE)}`);
  await chooseSandboxAccount(page, email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);

  const granted = await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  expect(granted.status()).toBe(200);
  const { token, scopes } = await granted.json();
  expect(scopes).toEqual(expect.arrayContaining(["openid", "email", "profile", DRIVE]));
  const files = await fetch(`${process.env.E2E_SANDBOX_URL}/google-api/drive/v3/files`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(files.status).toBe(200);
  const accounts = await sql(`SELECT 1 FROM "Account" WHERE email = $1`, [email]);
  expect(accounts).toHaveLength(1);
});

test("connect refuses junk scopes and unknown providers, and sends visitors to sign in", async ({ page, browser, baseURL }) => {
  const anonymous = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const visitor = await anonymous.newPage();
  await visitor.goto("/connect/github");
  await expect(visitor).toHaveURL(/\/sign-in\?callbackUrl=%2Fconnect%2Fgithub/);
  await anonymous.close();

  await signInWithSandbox(page, "Google", uniqueEmail("junk"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  expect((await page.request.get("/connect/myspace", { maxRedirects: 0 })).status()).toBe(404);
  expect((await page.request.get(`/connect/google?scopes=${encodeURIComponent("a\"b <x>")}`, { maxRedirects: 0 })).status()).toBe(400);
});
