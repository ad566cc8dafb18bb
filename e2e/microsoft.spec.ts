import { expect, signInWithSandbox, test, uniqueEmail } from "../test/playwright/fixtures";

// Microsoft through the sandbox's Entra: the browser stack admits tenant A (Contoso) and personal
// accounts only (test/playwright/global-setup.ts), so tenant B's Ben is refused.

const ADA = "ada@contoso.example"; // work account, tenant A, xms_edov true

test("a work account and a personal account sign in with Microsoft, each as its own user", async ({ page, sql }) => {
  await signInWithSandbox(page, "Microsoft", ADA);
  await expect(page.getByTestId("signed-in-email")).toHaveText(ADA);
  // xms_edov is true for Ada: her address is the user's.
  const work = await sql(
    `SELECT u.email FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE a.provider = 'microsoft-entra-id' AND a.email = $1`,
    [ADA],
  );
  expect(work).toEqual([{ email: ADA }]);

  await page.context().clearCookies();
  const personal = uniqueEmail("personal"); // a typed address is a personal account (tid 9188040d-…)
  await signInWithSandbox(page, "Microsoft", personal);
  // Not verified (no xms_edov): the user has no email of it, and joins nobody.
  await expect(page.getByTestId("user-menu")).toBeVisible();
  const rows = await sql(`SELECT 1 FROM "Account" WHERE provider = 'microsoft-entra-id' AND email = $1`, [personal]);
  expect(rows).toHaveLength(1);
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [personal])).toHaveLength(0);
});

test("a tenant outside the allow-list is refused in words, and nothing is stored", async ({ page, sql }) => {
  await signInWithSandbox(page, "Microsoft", "ben@fabrikam.example");
  await expect(page).toHaveURL(/\/sign-in\?error=account_not_admitted/);
  await expect(page.getByRole("alert").filter({ hasText: "This app does not accept that account" })).toBeVisible();
  expect(await sql(`SELECT 1 FROM "Account" WHERE email = 'ben@fabrikam.example'`)).toHaveLength(0);
});

test("Disconnect with no revocation endpoint: the tokens go, and the page says where to remove the app", async ({
  page,
  accountsPage,
  sql,
}) => {
  const email = uniqueEmail("ms-first");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await accountsPage.goto();
  const card = accountsPage.card("microsoft-entra-id");
  const microsoftEmail = uniqueEmail("ms-personal");
  await card.getByRole("button", { name: /^Connect (another )?Microsoft/ }).click();
  await accountsPage.chooseSandboxAccount(microsoftEmail);
  await expect(card.getByTestId("connected-account").filter({ hasText: microsoftEmail })).toBeVisible();

  await card.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  const toast = page.getByTestId("toast");
  await expect(toast).toContainText("Microsoft disconnected: this app deleted its access.");
  await expect(toast).toContainText("https://myapps.microsoft.com");
  await expect(toast).toContainText("https://account.live.com/consent/Manage");
  const accounts = await sql(
    `SELECT 1 FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a.provider = 'microsoft-entra-id'`,
    [email],
  );
  expect(accounts).toHaveLength(0);
  const [event] = await sql<{ detail: unknown }>(
    `SELECT e.detail FROM "ConnectionEvent" e JOIN "User" u ON u.id = e."userId"
     WHERE u.email = $1 AND e.type = 'connected_account.unlinked'`,
    [email],
  );
  expect(event?.detail).toEqual({ cause: "not_revocable" });
});

test("the Microsoft 365 panel: Grant access for OneDrive, then a CAE challenge answered by signing in again", async ({
  page,
  accountsPage,
  sandbox,
}) => {
  const email = uniqueEmail("ms-cae");
  await signInWithSandbox(page, "Microsoft", email);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await accountsPage.goto();
  const panel = page.getByTestId("microsoft-panel-onedrive");
  await expect(panel).toHaveAttribute("data-state", "missing_scopes");
  await panel.getByRole("button", { name: "Grant access" }).click();
  await accountsPage.chooseSandboxAccount(email);
  await expect(panel).toHaveAttribute("data-state", "ok");
  await expect(panel.getByRole("listitem")).toHaveCount(5);

  // Microsoft revokes the session: Graph challenges the token with insufficient_claims.
  await sandbox.cae(true, email);
  await page.reload();
  await expect(panel).toHaveAttribute("data-state", "reconnect_required");
  await panel.getByRole("button", { name: "Sign in to Microsoft again" }).click();
  await accountsPage.chooseSandboxAccount(email);
  await expect(panel).toHaveAttribute("data-state", "ok");
  await expect(panel.getByRole("listitem")).toHaveCount(5);
});
