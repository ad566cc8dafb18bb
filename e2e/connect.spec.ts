import { expect, linkFromSettings, signInWithSandbox, test, uniqueEmail } from "../test/playwright/fixtures";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";

test("a signed-in user links GitHub: same user, two accounts, no second user", async ({ page, sql }) => {
  const email = uniqueEmail("linker");
  const githubEmail = uniqueEmail("linked-gh");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);

  await linkFromSettings(page, "GitHub", githubEmail);
  await page.goto("/");
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

test("granting an extra Google scope adds it to the same account (incremental authorization)", async ({
  page,
  accountsPage,
  sql,
  sandbox,
}) => {
  const email = uniqueEmail("upgrade");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const missing = await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  expect(missing.status()).toBe(403);

  // The API's reconnectUrl opens the page with the request; the user confirms it there.
  await page.goto((await missing.json()).error.reconnectUrl);
  await expect(page.getByTestId("connect-request")).toContainText("See and download your Google Drive files");
  await page.getByTestId("connect-request").getByRole("button", { name: "Continue to Google" }).click();
  await accountsPage.chooseSandboxAccount(email);
  await expect(page.getByTestId("toast")).toHaveText("Access granted: See and download your Google Drive files.");
  // Shown once: the notice leaves the address.
  await expect(page).toHaveURL(/\/settings\/connected-accounts$/);

  const granted = await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  expect(granted.status()).toBe(200);
  const { token, scopes } = await granted.json();
  expect(scopes).toEqual(expect.arrayContaining(["openid", "email", "profile", DRIVE]));
  const files = await fetch(`${sandbox.url}/google-api/drive/v3/files`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(files.status).toBe(200);
  const accounts = await sql(`SELECT 1 FROM "Account" WHERE email = $1`, [email]);
  expect(accounts).toHaveLength(1);
});

test("unticking a scope on Google's consent screen (granular consent): the app says so and does not count it granted", async ({
  page,
  accountsPage,
  sql,
}) => {
  const email = uniqueEmail("granular");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const missing = await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  await page.goto((await missing.json()).error.reconnectUrl);
  await page.getByTestId("connect-request").getByRole("button", { name: "Continue to Google" }).click();
  await accountsPage.chooseSandboxAccount(email, { deny: [DRIVE] });
  await expect(page.getByTestId("toast")).toHaveText(
    "You did not allow: See and download your Google Drive files. Grant access again to choose differently.",
  );

  const still = await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  expect(still.status()).toBe(403);
  // Stored under the app's names, though Google reports …/auth/userinfo.email and ….profile.
  const [account] = await sql<{ grantedScopes: string[] }>(
    `SELECT "grantedScopes" FROM "Account" WHERE email = $1 AND provider = 'google'`,
    [email],
  );
  expect([...account!.grantedScopes].sort()).toEqual(["email", "openid", "profile"]);
});

test("connect requests with unknown providers or undeclared scopes show an error, and visitors are sent to sign in", async ({
  page,
  browser,
  baseURL,
}) => {
  const anonymous = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const visitor = await anonymous.newPage();
  await visitor.goto("/settings/connected-accounts?connect=github");
  await expect(visitor).toHaveURL(/\/sign-in\?callbackUrl=/);
  await anonymous.close();

  await signInWithSandbox(page, "Google", uniqueEmail("junk"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  for (const query of [
    "connect=myspace",
    `connect=google&scopes=${encodeURIComponent('a"b <x>')}`,
    "connect=google&scopes=delete_repo",
  ]) {
    await page.goto(`/settings/connected-accounts?${query}`);
    await expect(page.getByTestId("toast"), query).toHaveText("The request was not understood.");
    await expect(page.getByTestId("connect-request"), query).toHaveCount(0);
  }
});

test("a first link that asks for Drive, with Drive unticked (granular consent at sign-in): linked with the basics, and the app says what was not allowed", async ({
  page,
  accountsPage,
  sql,
}) => {
  const githubEmail = uniqueEmail("granular-first-gh");
  const googleEmail = uniqueEmail("granular-first-google");
  await signInWithSandbox(page, "GitHub", githubEmail);
  await expect(page.getByTestId("signed-in-email")).toHaveText(githubEmail);

  await page.goto(`/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(DRIVE)}`);
  await expect(page.getByTestId("connect-request")).toContainText("See and download your Google Drive files");
  await page.getByTestId("connect-request").getByRole("button", { name: "Continue to Google" }).click();
  await accountsPage.chooseSandboxAccount(googleEmail, { deny: [DRIVE] });
  await expect(page.getByTestId("toast")).toHaveText(
    "Google connected. You did not allow: See and download your Google Drive files. Grant access again to choose differently.",
  );
  const google = page.getByTestId("provider-card-google");
  await expect(google.getByTestId("connected-account")).toHaveCount(1);
  await expect(google.getByTestId("scopes-data")).toHaveCount(0); // "None yet"
  const [account] = await sql<{ grantedScopes: string[] }>(
    `SELECT "grantedScopes" FROM "Account" WHERE email = $1 AND provider = 'google'`,
    [googleEmail],
  );
  expect([...account!.grantedScopes].sort()).toEqual(["email", "openid", "profile"]);
});
