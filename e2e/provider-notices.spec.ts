import { ConnectedAccountsPage, expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";

// The sandbox Google's "Manage third-party access" page pushes a signed tokens-revoked security
// event to the app's /api/risc (registered by test/playwright/global-setup.ts), as Google's
// Cross-Account Protection would: the app marks the account at once, before any call fails.
test("Remove access at Google: the app's card says Needs reconnect", async ({ page, accountsPage }) => {
  const email = uniqueEmail("risc-remove");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await accountsPage.goto();
  await expect(accountsPage.card("google").getByTestId("account-health")).toHaveText("Active");

  await test.step("the sandbox's page, on a 375 px screen", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${process.env.E2E_SANDBOX_URL}/google/permissions?email=${encodeURIComponent(email)}`);
    await expect(page.getByRole("heading", { name: "Manage third-party access" })).toBeVisible();
    const app = page.getByRole("region", { name: "sandbox-google" });
    await expect(app).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await app.getByRole("button", { name: "Remove access" }).click();
    await expect(page.getByRole("status")).toContainText("1/1 receivers accepted it");
    await expect(page.getByText("No third-party apps have access to this account.")).toBeVisible();
  });

  await test.step("the app already knows", async () => {
    await page.goto(ConnectedAccountsPage.path);
    await expect(accountsPage.card("google").getByTestId("account-health")).toHaveText("Needs reconnect");
  });
});
