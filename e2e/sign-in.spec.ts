import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";
import {
  chooseSandboxAccount,
  expect,
  signInWithSandbox,
  signOut,
  test,
  uniqueEmail,
} from "../test/playwright/fixtures";

type AccountRow = {
  userId: string;
  provider: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  expires_at: number | null;
  refresh_token_expires_at: number | null;
  grantedScopes: string[];
  status: string;
  version: number;
  email: string | null;
};

const accountsOf = `
  SELECT a.* FROM "Account" a JOIN "User" u ON u.id = a."userId"
  WHERE u.email = $1 ORDER BY a.provider`;

test("a new user signs in with sandbox Google: user, account and tokens are stored", async ({ page, sql }) => {
  const email = uniqueEmail("google");
  await signInWithSandbox(page, "Google", email);

  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await expect(page.getByTestId("linked-accounts").locator("[data-provider=google]")).toContainText(email);
  mkdirSync("e2e/screenshots", { recursive: true });
  await page.setViewportSize({ width: 960, height: 420 });
  await page.screenshot({ path: "e2e/screenshots/00-signed-in.png" });

  const users = await sql('SELECT id FROM "User" WHERE email = $1', [email]);
  expect(users).toHaveLength(1);
  const [account] = await sql<AccountRow>(accountsOf, [email]);
  expect(account).toMatchObject({ provider: "google", status: "active", email });
  expect(account?.access_token).toBeTruthy();
  expect(account?.refresh_token).toBeTruthy(); // access_type=offline
  expect(account?.id_token).toBeTruthy();
  expect(account?.expires_at).toBeGreaterThan(Date.now() / 1000);
  expect(account?.grantedScopes).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
});

test("on a 375 px screen the home page wraps a long name and emails instead of cutting them", async ({ page }) => {
  const email = uniqueEmail("alice-example-with-a-long-name");
  await signInWithSandbox(page, "Google", email);
  await page.setViewportSize({ width: 375, height: 740 });
  const name = page.getByTestId("signed-in-name");
  await expect(name).toHaveText(/^Welcome, Alice Example With A Long Name \w+$/);
  for (const element of [name, page.getByTestId("signed-in-email")]) {
    const shown = await element.evaluate((node) => ({
      overflow: node.scrollWidth - node.clientWidth,
      textOverflow: getComputedStyle(node).textOverflow,
    }));
    expect(shown).toEqual({ overflow: 0, textOverflow: "clip" });
  }
  // Nothing on the page is cut short, the linked account's email included.
  const cut = await page
    .locator("main")
    .evaluate((main) =>
      [...main.querySelectorAll("*")]
        .filter((node) => getComputedStyle(node).textOverflow === "ellipsis" && node.scrollWidth > node.clientWidth)
        .map((node) => node.textContent),
    );
  expect(cut).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: "e2e/screenshots/07-home-phone-light.png" });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "e2e/screenshots/08-home-phone-dark.png" });
});

test("a new user signs in with sandbox GitHub (GitHub App tokens): expiring, refreshable token stored", async ({
  page,
  sql,
}) => {
  const email = uniqueEmail("github");
  await signInWithSandbox(page, "GitHub", email);

  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const [account] = await sql<AccountRow>(accountsOf, [email]);
  expect(account).toMatchObject({ provider: "github", status: "active" });
  expect(account?.access_token).toBeTruthy();
  expect(account?.refresh_token).toBeTruthy();
  expect(account?.expires_at).toBeGreaterThan(Date.now() / 1000);
  expect(account?.refresh_token_expires_at).toBeGreaterThan(account?.expires_at ?? 0);
  expect(account?.grantedScopes).toEqual(expect.arrayContaining(["read:user", "user:email"]));
});

test("signing out and in again returns the same user and refreshes the stored tokens", async ({ page, sql }) => {
  const email = uniqueEmail("again");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const [first] = await sql<AccountRow>(accountsOf, [email]);

  await signOut(page);
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);

  const users = await sql('SELECT id FROM "User" WHERE email = $1', [email]);
  expect(users).toHaveLength(1);
  const accounts = await sql<AccountRow>(accountsOf, [email]);
  expect(accounts).toHaveLength(1);
  const [second] = accounts;
  expect(second?.userId).toBe(first?.userId);
  expect(second?.access_token).not.toBe(first?.access_token); // Auth.js alone would keep the old one
  expect(second?.refresh_token).toBeTruthy();
  expect(second?.version).toBeGreaterThan(first?.version ?? 0);
});

test("a verified email from a trusted provider joins the existing user automatically", async ({ page, sql }) => {
  const email = uniqueEmail("autolink");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await signOut(page);

  await signInWithSandbox(page, "GitHub", email); // GitHub: verified primary email
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const accounts = await sql<AccountRow>(accountsOf, [email]);
  expect(accounts.map((account) => account.provider)).toEqual(["github", "google"]);
  expect(new Set(accounts.map((account) => account.userId)).size).toBe(1);
});

test("an unverified email is not merged: the page says what to do, nothing is linked", async ({ page, sql }) => {
  const email = uniqueEmail("unverified"); // the sandbox's GitHub marks it unverified
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await signOut(page);

  await signInWithSandbox(page, "GitHub", email);
  await expect(authErrorAlert(page)).toContainText(
    "Sign in with the provider you used before, then link this one from Settings",
  );

  const accounts = await sql<AccountRow>(accountsOf, [email]);
  expect(accounts.map((account) => account.provider)).toEqual(["google"]);
});

// The other order (unverified first, then the verified owner) is in trust-boundary.spec.ts.

test("signed-out visitors are sent to sign-in and the callback stays on this site", async ({ page }) => {
  await page.goto("/sign-in?callbackUrl=https://evil.example/steal");
  const callback = page.locator('input[name="callbackUrl"]').first();
  await expect(callback).toHaveValue("/");
});

/** The sign-in page's error notice; Next's route announcer is an alert too once the client has navigated. */
function authErrorAlert(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

test("a signed-out visitor sent to sign in is told why, and lands where they were going", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByTestId("sign-in-reason")).toHaveCount(0); // came on their own: no reason shown
  await page.goto("/settings/connected-accounts");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await expect(page.getByTestId("sign-in-reason")).toHaveText("Sign in to continue.");
  await page.getByRole("button", { name: "Continue with Google" }).click();
  await chooseSandboxAccount(page, uniqueEmail("return"));
  await expect(page).toHaveURL(/\/settings\/connected-accounts$/);

  // The header: the app's name, navigation with the current page marked, and the account menu.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })).toHaveAttribute(
    "aria-current",
    "page",
  );
});
