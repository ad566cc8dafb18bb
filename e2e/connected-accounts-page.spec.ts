import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import {
  ConnectedAccountsPage,
  expect,
  linkFromSettings,
  signInOverHttp,
  test,
  uniqueEmail,
} from "../test/playwright/fixtures";
import { GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO } from "../test/playwright/google-demo";

const PAGE = ConnectedAccountsPage.path;
mkdirSync("e2e/screenshots", { recursive: true });

async function signInToSettings(page: Page, email: string) {
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "Connected accounts" })).toBeVisible();
}

test("link GitHub from the page, then disconnect it (revoked at GitHub); the last method cannot go", async ({
  page,
  accountsPage,
  sql,
  sandbox,
}) => {
  const email = uniqueEmail("page-link");
  await signInToSettings(page, email);

  // Only one sign-in method: Disconnect is disabled and says why.
  const google = accountsPage.card("google");
  await expect(google.getByRole("button", { name: "Disconnect" })).toBeDisabled();
  await expect(google).toContainText("This is your only way to sign in");
  await page.screenshot({ path: "e2e/screenshots/01-one-account.png", fullPage: true });

  await accountsPage.card("github").getByRole("button", { name: "Connect GitHub" }).click();
  const githubEmail = uniqueEmail("page-gh");
  await accountsPage.chooseSandboxAccount(githubEmail);
  await expect(page.getByTestId("toast")).toHaveText("GitHub connected.");
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`)); // the notice is shown once, then leaves the address
  const github = accountsPage.card("github").getByTestId("connected-account");
  await expect(github).toContainText(githubEmail);
  await expect(github.getByTestId("scopes-basics")).toContainText("See your GitHub profile");
  // The provider's raw account id sits behind a disclosure.
  const [githubRow] = await sql<{ providerAccountId: string }>(
    `SELECT "providerAccountId" FROM "Account" WHERE email = $1`,
    [githubEmail],
  );
  await expect(github.getByText(githubRow!.providerAccountId)).toBeHidden();
  await github.getByText("Account details").click();
  await expect(github.getByText(githubRow!.providerAccountId)).toBeVisible();
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [githubEmail])).toHaveLength(0);
  await page.screenshot({ path: "e2e/screenshots/02-github-linked.png", fullPage: true });

  const revocationsBefore = (await sandbox.stats()).revocations.github;
  await accountsPage.card("github").getByRole("button", { name: "Disconnect" }).click();
  const dialog = page.getByRole("dialog", { name: "Disconnect GitHub?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("toast")).toContainText("GitHub disconnected, and its access was revoked at GitHub");
  await expect(accountsPage.card("github")).toContainText("Not connected.");
  const revocationsAfter = (await sandbox.stats()).revocations.github;
  expect(revocationsAfter).toBe(revocationsBefore + 1);
  expect(
    await sql(`SELECT provider FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`, [email]),
  ).toEqual([{ provider: "google" }]);
});

test("Grant access adds the Drive scope and the files appear; expiry refreshes; revoked grant → Reconnect", async ({
  page,
  accountsPage,
  sandbox,
}) => {
  test.skip(!GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO);
  const email = uniqueEmail("page-drive");
  await test.step("signed in: the Drive and Calendar panels name the permission they need", async () => {
    await signInToSettings(page, email);
    await expect(accountsPage.panel("profile")).toContainText(email);
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "missing_scopes");
    // Each panel names the permission it needs.
    await expect(accountsPage.panel("drive")).toContainText(
      "needs your permission to see the names and details of your Google Drive files",
    );
    await expect(accountsPage.panel("calendar")).toContainText(
      "needs your permission to see your Google Calendar events",
    );
    await expect(accountsPage.card("google").getByTestId("scopes-data")).toHaveCount(0);
  });

  await test.step("Grant access adds the Drive scope and the files appear", async () => {
    await accountsPage.panel("drive").getByRole("button", { name: "Grant access" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(page.getByTestId("toast")).toHaveText(
      "Access granted: See the names and details of your Google Drive files.",
    );
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "ok");
    await expect(accountsPage.panel("drive").getByRole("listitem").first()).toBeVisible();
    await expect(accountsPage.card("google").getByTestId("scopes-data")).toHaveText(
      "See the names and details of your Google Drive files",
    );
  });

  await test.step("an expired access token is refreshed, once", async () => {
    // The access token expires at Google: the panel still loads, through exactly one refresh.
    await sandbox.expireTokens({ provider: "google", email });
    const before = (await sandbox.refreshRequests()).google;
    await page.reload();
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "ok");
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
    expect((await sandbox.refreshRequests()).google).toBe(before + 1);
    // The notice was shown once: the reload shows the page alone (the README's screenshot).
    await expect(page.getByTestId("toast")).toHaveCount(0);
    await page.screenshot({ path: "e2e/screenshots/03-drive-granted.png", fullPage: true });
  });

  await test.step("a grant revoked at Google: the page says Reconnect", async () => {
    // The user revokes the app at Google: the page says so and offers Reconnect.
    await sandbox.revoke({ provider: "google", email });
    await sandbox.expireTokens({ provider: "google", email });
    await page.reload();
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "reconnect_required");
    // The account card rendered before the panels found out (they stream in later); it catches up
    // on its own, so the page never says Active above panels that say revoked. The card has the
    // one Reconnect button; the panels point to it.
    await expect(accountsPage.card("google").getByTestId("account-health")).toHaveText("Needs reconnect");
    await expect(accountsPage.panel("drive")).toContainText("Paused until you reconnect the Google account above.");
    await expect(page.getByRole("button", { name: "Reconnect" })).toHaveCount(1);
    await page.screenshot({ path: "e2e/screenshots/04-needs-reconnect.png", fullPage: true });
  });
  await test.step("Reconnect brings back only what it asked for", async () => {
    await accountsPage.card("google").getByRole("button", { name: "Reconnect" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(page.getByTestId("toast")).toHaveText("Google reconnected.");
    await expect(accountsPage.card("google").getByTestId("account-health")).toHaveText("Active");
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
    // The new grant is only what Reconnect asked for: the Drive chip and the Drive panel agree.
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "missing_scopes");
    await expect(accountsPage.card("google").getByTestId("scopes-data")).toHaveCount(0);
  });
});

test("someone else's account id posted to the disconnect action is refused and nothing changes", async ({
  page,
  accountsPage,
  browser,
  baseURL,
  sql,
}) => {
  const victim = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const victimPage = await victim.newPage();
  const victimEmail = uniqueEmail("victim");
  await signInToSettings(victimPage, victimEmail);
  await linkFromSettings(victimPage, "GitHub", uniqueEmail("victim-gh"));
  await victim.close();
  const [victimAccount] = await sql<{ id: string }>(
    `SELECT a.id FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a.provider = 'github'`,
    [victimEmail],
  );

  const attackerEmail = uniqueEmail("attacker");
  await signInToSettings(page, attackerEmail);
  await linkFromSettings(page, "GitHub", uniqueEmail("attacker-gh"));
  const before = await sql(`SELECT id, "userId", version FROM "Account" ORDER BY id`);

  // Forge the post: the attacker's own Disconnect form, carrying the victim's account id.
  await accountsPage.card("github").getByRole("button", { name: "Disconnect" }).click();
  await page.locator('dialog[open] input[name="accountId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = id;
  }, victimAccount!.id);
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("toast")).toContainText("does not exist or is not yours");
  expect(await sql(`SELECT id, "userId", version FROM "Account" ORDER BY id`)).toEqual(before);
});

test("pages have no serious accessibility violations, and work at phone width in dark mode", async ({
  page,
  accountsPage,
}) => {
  const check = async (name: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
    expect(serious.map((violation) => `${name}: ${violation.id} ${violation.help}`)).toEqual([]);
  };
  await page.goto("/sign-in");
  await check("sign-in");
  await signInOverHttp(page, "Google", uniqueEmail("a11y"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await check("home");
  await page.goto(PAGE);
  if (GOOGLE_DEMO) await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
  else await expect(accountsPage.card("google")).toBeVisible();
  await check("connected-accounts");

  await page.setViewportSize({ width: 375, height: 800 });
  await check("connected-accounts (phone)");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/05-phone-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await check("connected-accounts (phone, dark)");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/06-phone-dark.png", fullPage: true });
});

test("the page shell does not wait for Google: panels stream in, and an outage shows Try again", async ({
  page,
  accountsPage,
  sandbox,
}) => {
  test.skip(!GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO);
  const email = uniqueEmail("page-stream");
  await signInToSettings(page, email);
  await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");

  await sandbox.expireTokens({ provider: "google", email });
  await sandbox.refreshMode("google", "hang");
  try {
    const started = Date.now();
    await page.goto(PAGE, { waitUntil: "commit" });
    await expect(page.getByRole("heading", { name: "Connected accounts" })).toBeVisible();
    await expect(page.getByTestId("google-panel-profile-loading")).toBeVisible();
    expect(Date.now() - started).toBeLessThan(5_000); // the refresh is hanging for 10 s
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "provider_unavailable", {
      timeout: 20_000,
    });
    await expect(accountsPage.panel("profile").getByRole("link", { name: "Try again" })).toBeVisible();
  } finally {
    await sandbox.refreshMode("google", "normal");
  }
  await accountsPage.panel("profile").getByRole("link", { name: "Try again" }).click();
  await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
});

test("no token reaches the browser: served HTML and every JS chunk are free of the stored tokens", async ({
  page,
  accountsPage,
}) => {
  const email = uniqueEmail("leak");
  await signInToSettings(page, email);
  if (GOOGLE_DEMO) await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
  else await expect(accountsPage.card("google")).toBeVisible();
  // The tokens the server holds for this user, as the provider issued them.
  const token = (await (await page.request.get("/api/connected-accounts/google/token")).json()).token as string;
  expect(token.length).toBeGreaterThan(10);

  for (const path of ["/", PAGE, "/settings"]) {
    const response = await page.request.get(path);
    const html = await response.text();
    expect(html, path).not.toContain(token);
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(await (await page.request.get(script)).text(), script).not.toContain(token);
    }
  }
});

test("the page works from the keyboard: Disconnect opens a dialog that Escape closes", async ({
  page,
  accountsPage,
}) => {
  const email = uniqueEmail("keyboard");
  await signInToSettings(page, email);
  await linkFromSettings(page, "GitHub", uniqueEmail("keyboard-gh"));

  const disconnect = accountsPage.card("github").getByRole("button", { name: "Disconnect" });
  await disconnect.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Disconnect GitHub?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(accountsPage.card("github").getByTestId("connected-account")).toHaveCount(1);
});
