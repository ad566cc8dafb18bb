import { docsScreenshots, expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";

// Every registered provider on one page: a user signed in with Google links GitHub, GitHub
// repositories (for connecting only), Microsoft and the generic OpenID Connect issuer from their
// cards, each through its sandbox stand-in.
// DOCS_SCREENSHOTS=1 npx playwright test e2e/every-provider.spec.ts --project=http writes
// docs/every-provider-{light,dark,phone}.png.
test("one user links every registered provider from its card, and each card shows its account", async ({
  page,
  accountsPage,
}, testInfo) => {
  const google = uniqueEmail("every-google");
  await signInOverHttp(page, "Google", google);
  await expect(page.getByTestId("signed-in-email")).toHaveText(google);
  await accountsPage.goto();
  await expect(accountsPage.card("google").getByTestId("connected-account").filter({ hasText: google })).toBeVisible();

  const links = [
    { id: "github", label: "GitHub", email: uniqueEmail("every-github"), signsIn: true },
    { id: "github-app", label: "GitHub repositories", email: uniqueEmail("every-github-app"), signsIn: false },
    // A typed address at the sandbox's Entra is a personal Microsoft account.
    { id: "microsoft-entra-id", label: "Microsoft", email: uniqueEmail("every-microsoft"), signsIn: true },
    { id: "oidc", label: "OpenID Connect", email: uniqueEmail("every-oidc"), signsIn: true },
  ] as const;
  for (const { id, label, email } of links) {
    const card = accountsPage.card(id);
    await card.getByRole("button", { name: new RegExp(`^Connect (another )?${label}`) }).click();
    await accountsPage.chooseSandboxAccount(email);
    await expect(card.getByTestId("connected-account").filter({ hasText: email })).toBeVisible();
  }
  for (const { id, signsIn } of links) {
    await expect(accountsPage.card(id).getByTestId("sign-in-method")).toHaveText(
      signsIn ? "Signs you in" : "For connecting only: not a way to sign in",
    );
  }

  if (!process.env.DOCS_SCREENSHOTS || testInfo.project.name !== "http") return;
  await page.reload(); // without the link's toast
  await docsScreenshots(page, "every-provider", { width: 1280 });
});
