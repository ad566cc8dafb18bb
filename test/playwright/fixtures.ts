import { randomUUID } from "node:crypto";
import {
  test as base,
  expect,
  type APIRequestContext,
  type APIResponse,
  type Locator,
  type Page,
} from "@playwright/test";
import pg from "pg";
import { chooseSandboxAccount } from "../../sandbox/browser-login";
import { loginFormPost, sandboxControl, type SandboxControl } from "../../sandbox/test-client";
import { ConnectedAccountsPage } from "./connected-accounts-page";
import type { ProjectStack } from "./global-setup";

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

type WorkerFixtures = {
  /**
   * The stack of this worker's project (test/playwright/global-setup.ts starts one per project, and
   * a worker runs one project's tests), also set as E2E_BASE_URL, E2E_DATABASE_URL, E2E_SANDBOX_URL
   * and E2E_APP_ENV (JSON) for specs that read those. Read them inside tests, not at import time.
   */
  projectStack: ProjectStack;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  projectStack: [
    async ({}, use, workerInfo) => {
      const stacks = JSON.parse(process.env.E2E_STACKS ?? "{}") as Record<string, ProjectStack>;
      const stack = stacks[workerInfo.project.name];
      if (!stack) throw new Error(`no test stack for project ${workerInfo.project.name}: see global-setup.ts`);
      process.env.E2E_BASE_URL = stack.baseUrl;
      process.env.E2E_DATABASE_URL = stack.databaseUrl;
      process.env.E2E_SANDBOX_URL = stack.sandboxUrl;
      process.env.E2E_APP_ENV = JSON.stringify(stack.appEnv);
      await use(stack);
    },
    { scope: "worker", auto: true },
  ],
  baseURL: async ({ projectStack }, use) => {
    await use(projectStack.baseUrl);
  },
  sql: async ({ projectStack }, use) => {
    const client = new pg.Client({ connectionString: projectStack.databaseUrl });
    await client.connect();
    await use(async (text, values) => (await client.query(text, values)).rows);
    await client.end();
  },
  sandbox: async ({ projectStack }, use) => {
    await use(sandboxControl(projectStack.sandboxUrl));
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

/**
 * Whether `project` runs the specs that start a server of their own (once per run is enough): the
 * http project, or the one E2E_OWN_SERVER_PROJECT names, for a run of another project alone
 * (.ci/run runs each project on its own Node version).
 */
export function runsOwnServerSpecs(project: string): boolean {
  return project === (process.env.E2E_OWN_SERVER_PROJECT || "http");
}

/** A fresh address per test, so tests never see each other's users. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs in through the sandbox login form of `provider`, typing `email`. */
export async function signInWithSandbox(
  page: Page,
  provider: "Google" | "GitHub" | "Microsoft",
  email: string,
): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Continue with ${provider}` }).click();
  await chooseSandboxAccount(page, email);
}

/**
 * Signs in through the sandbox as `email`, as signInWithSandbox does but without rendering a page:
 * the requests the browser would make (Auth.js's sign-in endpoint, the sandbox's login form, the
 * app's callback) go over HTTP in the page's browser context, which keeps their cookies; then the
 * page opens where the sign-in lands. The server does all a sign-in does (user, account with
 * sealed tokens from a real sandbox grant, its linked event, the session and its cookie), through
 * the same code. For tests whose subject is not signing in; signInWithSandbox goes through the pages.
 */
export async function signInOverHttp(page: Page, provider: "Google" | "GitHub", email: string): Promise<void> {
  const http = page.context().request;
  const { csrfToken } = (await (await http.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const start = await http.post(`/api/auth/signin/${provider.toLowerCase()}`, {
    form: { csrfToken, callbackUrl: "/" },
    maxRedirects: 0,
  });
  const loginPage = await http.get(redirectTarget(start));
  const { action, body } = loginFormPost(await loginPage.text(), email);
  const chosen = await http.post(new URL(action, loginPage.url()).href, {
    data: body.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    maxRedirects: 0,
  });
  const callback = await http.get(await redirectsBack(http, chosen, new URL(start.url()).origin), { maxRedirects: 0 });
  await page.goto(redirectTarget(callback));
}

/** Follows the sandbox's redirects from `response` to where they return to the app: that URL. */
async function redirectsBack(http: APIRequestContext, response: APIResponse, appOrigin: string): Promise<string> {
  for (let hops = 0; hops < 10; hops += 1) {
    const target = redirectTarget(response);
    if (new URL(target).origin === appOrigin) return target;
    response = await http.get(target, { maxRedirects: 0 });
  }
  throw new Error(`the sandbox did not send the browser back to ${appOrigin} within 10 redirects`);
}

function redirectTarget(response: APIResponse): string {
  const location = response.headers()["location"];
  if (!location) throw new Error(`expected a redirect from ${response.url()}, got ${response.status()}`);
  return new URL(location, response.url()).href;
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

/**
 * With DOCS_SCREENSHOTS=1, in the http project only: docs/<name>-{light,dark,phone}.png of the page
 * (or of `part`), at `width` px and 375 px; then the default viewport and light mode again.
 */
export async function docsScreenshots(
  page: Page,
  name: string,
  options: { width?: number; height?: number; fullPage?: boolean; part?: Locator } = {},
): Promise<void> {
  if (!process.env.DOCS_SCREENSHOTS || base.info().project.name !== "http") return;
  const { width: wide = 1024, height = 900, fullPage = true, part } = options;
  for (const [variant, scheme, width] of [
    ["light", "light", wide],
    ["dark", "dark", wide],
    ["phone", "light", 375],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    await page.mouse.move(0, 0);
    const shot = { path: `docs/${name}-${variant}.png`, animations: "disabled" } as const;
    await (part ? part.screenshot(shot) : page.screenshot({ ...shot, fullPage }));
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: "light" });
}
