import { chooseSandboxAccount, expect, runsOwnServerSpecs, test, uniqueEmail } from "../test/playwright/fixtures";
import { startAppServer, type AppServer } from "../scripts/lib/app-server";
import { GOOGLE_LOADED_TEST_ID } from "../test/playwright/google-demo";
import { nextDevTurn } from "../test/playwright/one-next-dev";

// `next dev`, as `npm run dev` runs it: once is enough, and it compiles each route on first visit.
test.beforeEach(({}, testInfo) => test.skip(!runsOwnServerSpecs(testInfo.project.name), "starts its own server"));
// The other project's run may be using `next dev` for up to its own 300 s (one-next-dev.ts).
test.setTimeout(600_000);

let dev: AppServer | undefined;
let releaseTurn: (() => void) | undefined;
test.afterAll(async () => {
  await dev?.stop();
  releaseTurn?.();
});

test("next dev: signing in and using the settings page logs no console error, and Next's dev tools are styled", async ({
  browser,
}, testInfo) => {
  const env = JSON.parse(process.env.E2E_APP_ENV ?? "{}") as Record<string, string>;
  delete env.UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION;
  releaseTurn = await nextDevTurn(300_000);
  dev = await startAppServer(env, { mode: "dev", logFile: testInfo.outputPath("next-dev.log") });
  const context = await browser.newContext({ baseURL: dev.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));

  // A sign-in started at http://127.0.0.1 would come back to localhost, where its cookies are not.
  const loopbackUrl = dev.url.replace("//localhost:", "//127.0.0.1:");
  await page.goto(`${loopbackUrl}/sign-in?utm_source=test`, { timeout: 120_000 });
  await expect(page).toHaveURL(`${dev.url}/sign-in?utm_source=test`);
  await page.getByRole("button", { name: "Continue with Google" }).click();
  await chooseSandboxAccount(page, uniqueEmail("dev"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible({ timeout: 120_000 });
  await page.goto("/settings/connected-accounts", { timeout: 120_000 });
  await expect(page.getByTestId(GOOGLE_LOADED_TEST_ID)).toContainText("@example.com", { timeout: 120_000 });

  // Next's dev tools live in a shadow root styled by inline styles: unstyled, the indicator is not
  // pinned to the corner but sits in the page's flow.
  const indicator = page.locator("nextjs-portal");
  await expect(indicator).toHaveCount(1);
  await expect
    .poll(() =>
      indicator.evaluate((portal) => {
        const element = portal.shadowRoot?.querySelector("#devtools-indicator");
        return element ? getComputedStyle(element).position : "missing";
      }),
    )
    .toBe("fixed");
  expect(errors).toEqual([]);
  await context.close();
  await dev.stop();
  expect(dev.output()).not.toContain("telemetry");
});
