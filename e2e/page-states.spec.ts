import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInOverHttp, test, uniqueEmail, type ConnectedAccountsPage } from "../test/playwright/fixtures";
import { GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO } from "../test/playwright/google-demo";

// One account state drives every line and button of the Connected accounts page: the card and
// the Google panels never contradict each other, and each account has at most one Reconnect.

test.skip(!GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO);
mkdirSync("e2e/screenshots", { recursive: true });

async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
  expect(serious.map((violation) => `${name}: ${violation.id} ${violation.help}`)).toEqual([]);
}

/** Light and dark at desktop width, and 375 px, with no sideways scrolling. */
async function screenshots(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, `${name} (dark)`);
  await page.screenshot({ path: `e2e/screenshots/${name}-dark.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `e2e/screenshots/${name}-phone-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** The page's Google account needs reconnecting: the card says why, once, and nothing contradicts it. */
async function expectOneReconnectState(page: Page, accountsPage: ConnectedAccountsPage) {
  const card = accountsPage.card("google");
  await expect(card.getByTestId("account-health")).toHaveText("Needs reconnect");
  // What was granted gives access to nothing until the grant is back.
  await expect(card.getByTestId("scopes-data")).toHaveCount(0);
  await expect(card.getByTestId("scopes-data-paused")).toHaveText("None until you reconnect");
  // Panels whose access was granted wait for the card; the others ask for what they need.
  await expect(accountsPage.panel("profile")).toContainText("Paused until you reconnect the Google account above.");
  for (const id of ["calendar", "gmail"] as const) {
    await expect(accountsPage.panel(id)).toHaveAttribute("data-state", "missing_scopes");
    await expect(accountsPage.panel(id).getByRole("button", { name: "Grant access" })).toBeVisible();
  }
  await expect(page.getByRole("button", { name: "Reconnect" })).toHaveCount(1);
  await expect(card.getByRole("button", { name: "Reconnect" })).toHaveCount(1);
}

test("the card and the panels tell one state: first use, a revoke at Google, and a reconnect", async ({
  page,
  accountsPage,
  sandbox,
}, testInfo) => {
  const email = uniqueEmail("one-state");
  const card = accountsPage.card("google");
  const lastUsed = card.getByTestId("last-used");
  const shots = testInfo.project.name === "http";

  await test.step("first visit: the card says what the profile panel has just used it for", async () => {
    await signInOverHttp(page, "Google", email);
    await expect(page.getByTestId("signed-in-email")).toHaveText(email);
    await accountsPage.goto();
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
    await expect(lastUsed).toHaveText("Last used just now by Profile");
    // Never granted: the panels say so, and offer Grant access.
    await expect(accountsPage.panel("calendar")).toHaveAttribute("data-state", "missing_scopes");
    await accountsPage.panel("drive").getByRole("button", { name: "Grant access" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "ok");
    await expect(card.getByTestId("scopes-data")).toHaveText("See the names and details of your Google Drive files");
  });

  await test.step("revoked at Google: Needs reconnect, no data access, one Reconnect, never granted is not revoked", async () => {
    await sandbox.revoke({ provider: "google", email });
    await sandbox.expireTokens({ provider: "google", email });
    await page.reload();
    await expectOneReconnectState(page, accountsPage);
    await expect(page.locator("main")).not.toContainText("revoked or has expired");
    await page.reload(); // as the next visit finds it
    await expectOneReconnectState(page, accountsPage);
    await expectAccessible(page, "needs reconnect");
    if (shots) await screenshots(page, "20-needs-reconnect");
  });

  await test.step("after Reconnect: a panel the new grant does not cover is no use of the account", async () => {
    await card.getByRole("button", { name: "Reconnect" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(page.getByTestId("toast")).toHaveText("Google reconnected.");
    await expect(card.getByTestId("account-health")).toHaveText("Active");
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "missing_scopes");
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
    await expect(lastUsed).not.toContainText("Drive");
    await page.reload();
    await expect(accountsPage.panel("drive")).toHaveAttribute("data-state", "missing_scopes");
    await expect(lastUsed).not.toContainText("Drive");
  });
});

test("tokens sealed with a key this server does not have: the card names that cause, the panels wait", async ({
  page,
  accountsPage,
  sql,
}, testInfo) => {
  const email = uniqueEmail("key-gone");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  // As after a deleted .env.local: the stored tokens name a key TOKEN_ENCRYPTION_KEY no longer lists.
  await sql(
    `UPDATE "Account" a SET
       access_token = regexp_replace(access_token, '^enc:v2:[^:]+:', 'enc:v2:kgone:'),
       refresh_token = regexp_replace(refresh_token, '^enc:v2:[^:]+:', 'enc:v2:kgone:')
     FROM "User" u WHERE u.id = a."userId" AND u.email = $1`,
    [email],
  );
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
  });

  await accountsPage.goto();
  const card = accountsPage.card("google");
  await expect(card.getByTestId("account-health")).toHaveText("Needs reconnect");
  await expect(card.getByTestId("reconnect-advice")).toHaveText(
    /encrypted with a key this server does not have .*Restore the old key in TOKEN_ENCRYPTION_KEY, or reconnect to continue\./,
  );
  await expect(accountsPage.panel("profile")).toContainText("Paused until you reconnect the Google account above.");
  await expect(page.locator("main")).not.toContainText("revoked or has expired");
  await expect(page.getByRole("button", { name: "Reconnect" })).toHaveCount(1);
  expect(errors).toEqual([]);
  if (testInfo.project.name === "http") await screenshots(page, "21-key-not-listed");

  // Reconnecting seals a new grant with the current key: the account works again.
  await card.getByRole("button", { name: "Reconnect" }).click();
  await accountsPage.chooseSandboxAccount(email);
  await expect(card.getByTestId("account-health")).toHaveText("Active");
  await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
});
