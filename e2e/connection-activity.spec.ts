import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";
import { GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO } from "../test/playwright/google-demo";

mkdirSync("e2e/screenshots", { recursive: true });

/** No serious or critical axe violation on the page as it is. */
async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
  expect(serious.map((violation) => `${name}: ${violation.id} ${violation.help}`)).toEqual([]);
}

async function expectNoHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

test("each account shows its last refresh, last use and activity; a grant revoked at Google turns the card to Needs reconnect on its own, and the next visit says so", async ({
  page,
  accountsPage,
  sandbox,
}, testInfo) => {
  test.skip(!GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO);
  const email = uniqueEmail("activity");
  const card = accountsPage.card("google");
  const account = card.getByTestId("connected-account");
  const activity = account.getByTestId("activity");
  const shots = testInfo.project.name === "http"; // one set of screenshots, not one per project

  await test.step("signed in: Active, not used yet, and the link in the activity", async () => {
    await signInOverHttp(page, "Google", email);
    await expect(page.getByTestId("signed-in-email")).toHaveText(email);
    await expect(page.getByTestId("connection-notice")).toHaveCount(0);
    await accountsPage.goto();
    await expect(card.getByTestId("account-health")).toHaveText("Active");
    await expect(account.getByTestId("last-refreshed")).toHaveText("Not refreshed yet");
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "ok");
    await activity.locator("summary").click();
    await expect(activity.getByTestId("activity-text")).toHaveText(["Connected"]);
  });

  await test.step("Grant access, then an expired token: the activity says so, and the card says what used it", async () => {
    await accountsPage.panel("calendar").getByRole("button", { name: "Grant access" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(accountsPage.panel("calendar")).toHaveAttribute("data-state", "ok");
    await sandbox.expireTokens({ provider: "google", email });
    await page.reload();
    await expect(accountsPage.panel("calendar")).toHaveAttribute("data-state", "ok");
    await page.reload(); // the card was rendered before the panels used the account
    await expect(account.getByTestId("last-used")).toHaveText(/^Last used just now by (Profile|Calendar|Gmail|Drive)$/);
    await expect(account.getByTestId("last-refreshed")).toHaveText("Refreshed just now");
    await expect(account.getByTestId("last-refreshed").locator("time")).toHaveAttribute("title", /UTC$/);
    await expect(account.getByTestId("last-refreshed").locator("time")).toHaveAttribute(
      "datetime",
      /^\d{4}-\d\d-\d\dT/,
    );
    await activity.locator("summary").click();
    await expect(activity.getByTestId("activity-item").first()).toHaveText(/^Access refreshed\s*just now$/);
    await expect(activity).toContainText("Access to See your Google Calendar events granted");
    await expect(activity.getByTestId("activity-item").last()).toContainText("Connected");
    await expectAccessible(page, "activity open");
  });

  await test.step("screenshots: desktop light and dark, and 375 px, with the activity open", async () => {
    if (!shots) return;
    await page.screenshot({ path: "e2e/screenshots/10-activity-light.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(page, "activity open (dark)");
    await page.screenshot({ path: "e2e/screenshots/11-activity-dark.png", fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalOverflow(page);
    await expectAccessible(page, "activity open (phone, dark)");
    await page.screenshot({ path: "e2e/screenshots/12-activity-phone-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: "e2e/screenshots/13-activity-phone-light.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  // What a token looks like to the app: the JSON API hands out the current one.
  const token = (await (await page.request.get("/api/connected-accounts/google/token")).json()) as { token: string };
  expect(token.token.length).toBeGreaterThan(10);

  await test.step("the grant is revoked at Google: one load, and the card turns to Needs reconnect by itself", async () => {
    // As after a sandbox restart: the stored access token is no longer accepted, and the refresh is refused.
    await sandbox.revoke({ provider: "google", email });
    await page.reload();
    await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
    await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "reconnect_required");
    await expect(card.getByTestId("account-health")).toHaveText("Needs reconnect");
    // The card catches up in the same document (no second manual load), with its Reconnect button.
    await expect(card.getByRole("button", { name: "Reconnect" })).toBeVisible();
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await activity.locator("summary").click();
    await expect(activity.getByTestId("activity-item").first()).toHaveText(
      /^Needs reconnecting: refresh refused\s*just now$/,
    );
    await expect(activity).toContainText("Access revoked at Google");
    const html = await page.content();
    expect(html).not.toContain(token.token);
    expect(html).not.toMatch(/access_token|refresh_token|id_token/);
    if (shots) await page.screenshot({ path: "e2e/screenshots/14-activity-needs-reconnect.png", fullPage: true });
  });

  await test.step("the next visit: a notice with Reconnect and Dismiss; a forged id dismisses nothing", async () => {
    await page.goto("/");
    const notice = page.getByTestId("connection-notice");
    await expect(notice).toHaveText(/Your Google connection needs reconnecting\./);
    await expect(notice.getByRole("button", { name: "Reconnect" })).toBeVisible();
    await expectAccessible(page, "home with a notice");

    await notice.locator('input[name="noticeId"]').evaluate((input) => {
      (input as HTMLInputElement).value = "someone-elses-notice";
    });
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await page.reload();
    await expect(notice).toBeVisible();

    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("signed-in-email")).toHaveText(email);
    await expect(notice).toHaveCount(0);
  });

  await test.step("Reconnect: Active again, and the activity says it works again", async () => {
    await accountsPage.goto();
    await card.getByRole("button", { name: "Reconnect" }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(card.getByTestId("account-health")).toHaveText("Active");
    await activity.locator("summary").click();
    await expect(activity).toContainText("Working again");
  });
});
