import { chooseSandboxAccount, expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";

// GitHub repositories (github-app) is a GitHub App for connecting only: never a way to sign in
// (docs/providers.md, "GitHub repositories: a GitHub App for connecting only").

test("the sign-in page leaves it out, and a sign-in started with it anyway is refused in words, storing nothing", async ({
  page,
  sql,
}) => {
  await page.goto("/sign-in");
  // Labelled "… sandbox" while the sandbox plays the provider.
  await expect(page.getByRole("button", { name: /^Continue with GitHub( sandbox)?$/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /GitHub repositories/ })).toHaveCount(0);

  // The page offers no such button: post to Auth.js's sign-in endpoint directly, as a forged form would.
  const http = page.context().request;
  const { csrfToken } = (await (await http.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const start = await http.post("/api/auth/signin/github-app", {
    form: { csrfToken, callbackUrl: "/" },
    maxRedirects: 0,
  });
  const sandboxLogin = start.headers()["location"];
  expect(sandboxLogin, "Auth.js sends the browser to the provider").toBeTruthy();
  const email = uniqueEmail("connect-only-sign-in");
  await page.goto(new URL(sandboxLogin!, start.url()).href);
  await chooseSandboxAccount(page, email);

  await expect(page).toHaveURL(/\/sign-in\?error=connect_only/);
  await expect(page.getByRole("alert").filter({ hasText: "This account cannot sign you in" })).toContainText(
    "It is for connecting only",
  );
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
  expect(await sql(`SELECT 1 FROM "Account" WHERE email = $1`, [email])).toHaveLength(0);
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [email])).toHaveLength(0);
});

test("a signed-in user connects it from its card; it is no way to sign in, so the one sign-in account stays", async ({
  page,
  accountsPage,
  sql,
}) => {
  const email = uniqueEmail("connect-only-user");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await accountsPage.goto();

  const card = accountsPage.card("github-app");
  const repositoriesEmail = uniqueEmail("connect-only-repos");
  await card.getByRole("button", { name: "Connect GitHub repositories" }).click();
  await accountsPage.chooseSandboxAccount(repositoriesEmail);
  const account = card.getByTestId("connected-account").filter({ hasText: repositoriesEmail });
  await expect(account).toBeVisible();
  await expect(account.getByTestId("sign-in-method")).toHaveText("For connecting only: not a way to sign in");
  await expect(account.getByTestId("scopes-data")).toContainText("Your repositories");
  expect(
    await sql(`SELECT u.email FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE a.email = $1`, [
      repositoriesEmail,
    ]),
  ).toEqual([{ email }]);

  // Two accounts, one way to sign in: Google's Disconnect stays disabled, and says why.
  const google = accountsPage.card("google");
  await expect(google.getByTestId("sign-in-method")).toHaveText("Signs you in");
  await expect(google.getByRole("button", { name: "Disconnect" })).toBeDisabled();
  await expect(google).toContainText("This is your only way to sign in");

  // The repositories account itself can go, and its grant is revoked at GitHub.
  await account.getByRole("button", { name: "Disconnect" }).click();
  const dialog = page.getByRole("dialog", { name: "Disconnect GitHub repositories?" });
  await expect(dialog).toContainText(`This app will lose access to ${repositoriesEmail}`);
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("toast")).toContainText("GitHub repositories disconnected, and its access was revoked");
  await expect(card).toContainText("Not connected.");
  expect(
    await sql(`SELECT provider FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`, [email]),
  ).toEqual([{ provider: "google" }]);
});
