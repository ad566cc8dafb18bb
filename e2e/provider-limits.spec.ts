import { expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";
import { GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO } from "../test/playwright/google-demo";

// Google ends refresh tokens for reasons of its own; each has its own words on the card. The
// sandbox answers a refresh the way Google does in each case (sandbox/google-idp.ts, refresh modes).
for (const { mode, advice } of [
  { mode: "invalid_rapt", advice: "Your organisation asks you to sign in to Google again from time to time." },
  { mode: "admin_policy_enforced", advice: "Your organisation's administrator has blocked this app at Google." },
] as const) {
  test(`a refresh refused with ${mode}: the card says why, and offers Reconnect`, async ({
    page,
    accountsPage,
    sandbox,
  }) => {
    test.skip(!GOOGLE_DEMO, WITHOUT_GOOGLE_DEMO);
    const email = uniqueEmail(`limits-${mode}`);
    await signInOverHttp(page, "Google", email);
    await accountsPage.goto();
    await expect(accountsPage.card("google").getByTestId("account-health")).toHaveText("Active");

    await sandbox.refreshMode("google", mode);
    try {
      await sandbox.expireTokens({ provider: "google", email });
      await page.reload();
      await expect(accountsPage.panel("profile")).toHaveAttribute("data-state", "reconnect_required");
      const card = accountsPage.card("google");
      await expect(card.getByTestId("account-health")).toHaveText("Needs reconnect");
      await expect(card.getByTestId("reconnect-advice")).toContainText(advice);
      await expect(card.getByRole("button", { name: "Reconnect" })).toBeVisible();
    } finally {
      await sandbox.refreshMode("google", "normal");
    }
  });
}
