import { randomUUID } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { chooseSandboxAccount } from "../../sandbox/browser-login";
import { sandboxControl, type SandboxControl } from "../../sandbox/test-client";
import { ConnectedAccountsPage } from "./connected-accounts-page";

// What every browser spec imports: `test` with typed fixtures (`sql`, `sandbox`), and the steps specs
// share. test/ is the home of what only tests use; the stack they share with benchmarks is scripts/lib/.

export type Sql = <Row extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<Row[]>;

type Fixtures = {
  /** A direct connection to the app's database, to check what a flow stored. */
  sql: Sql;
  /** The sandbox the app signs in with: its URL, and its /control endpoints (expire, revoke, refresh modes, counts). */
  sandbox: SandboxControl;
  /** The Connected accounts page of `page`: `card(provider)`, `panel(id)`, `chooseSandboxAccount(email)`. */
  accountsPage: ConnectedAccountsPage;
};

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use, testInfo) => {
    await use(testInfo.project.name === "https" ? process.env.E2E_HTTPS_BASE_URL : process.env.E2E_BASE_URL);
  },
  sql: async ({}, use) => {
    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    await use(async (text, values) => (await client.query(text, values)).rows);
    await client.end();
  },
  sandbox: async ({}, use) => {
    await use(sandboxControl(process.env.E2E_SANDBOX_URL!));
  },
  accountsPage: async ({ page }, use) => {
    await use(new ConnectedAccountsPage(page));
  },
});

export { expect };
export type { SandboxControl };
export { chooseSandboxAccount, ConnectedAccountsPage };

/** The cookie Auth.js keeps the session in: `__Secure-` prefixed when the app is served over https. */
export function sessionCookieName(baseURL: string | undefined): string {
  return baseURL?.startsWith("https:") ? "__Secure-authjs.session-token" : "authjs.session-token";
}

/** A fresh address per test, so tests never see each other's users. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs in through the sandbox login form of `provider`, typing `email`. */
export async function signInWithSandbox(page: Page, provider: "Google" | "GitHub", email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Continue with ${provider}` }).click();
  await chooseSandboxAccount(page, email);
}

/** Links another account from the Connected accounts page, as a user would, and waits until it shows. */
export async function linkFromSettings(page: Page, provider: "Google" | "GitHub", email: string): Promise<void> {
  const accountsPage = new ConnectedAccountsPage(page);
  await accountsPage.goto();
  const card = accountsPage.card(provider === "Google" ? "google" : "github");
  await card.getByRole("button", { name: new RegExp(`^Connect (another )?${provider}`) }).click();
  await accountsPage.chooseSandboxAccount(email);
  await expect(card.getByTestId("connected-account").filter({ hasText: email })).toBeVisible();
}

/** Signs out from the header's account menu, as a user would. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").locator("summary").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId("sign-in-reason")).toHaveText("You are signed out.");
}
