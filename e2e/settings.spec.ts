import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { chooseSandboxAccount, expect, signInOverHttp, type Sql, test, uniqueEmail } from "../test/playwright/fixtures";
import { GOOGLE_LOADED_TEST_ID } from "../test/playwright/google-demo";

mkdirSync("e2e/screenshots", { recursive: true });
// Several browsers signed in, and axe in light, dark and at 375 px: more than a minute on a busy machine.
test.setTimeout(120_000);

const SECTIONS = [
  { name: "Profile", path: "/settings/profile" },
  { name: "Connected accounts", path: "/settings/connected-accounts" },
  { name: "Security", path: "/settings/security" },
] as const;

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** No serious or critical axe violation on the page as it is. */
async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
  expect(serious.map((violation) => `${name}: ${violation.id} ${violation.help}`)).toEqual([]);
}

const settingsNav = (page: Page) => page.getByRole("navigation", { name: "Settings" });

async function expectCurrentSection(page: Page, current: (typeof SECTIONS)[number]) {
  await expect(page).toHaveURL(new RegExp(`${current.path}$`));
  await expect(page.getByRole("heading", { level: 1, name: current.name, exact: true })).toBeVisible();
  for (const section of SECTIONS) {
    const link = settingsNav(page).getByRole("link", { name: section.name, exact: true });
    if (section === current) await expect(link).toHaveAttribute("aria-current", "page");
    else await expect(link).not.toHaveAttribute("aria-current");
  }
}

/** The focused element shows a visible outline (focus-visible), as a keyboard user needs. */
async function expectVisibleFocus(page: Page, name: string) {
  const focused = page.locator(":focus");
  await expect(focused).toHaveAccessibleName(name);
  const outline = await focused.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThan(0);
}

/** Another browser signed in as the same user (the sandbox knows the user by email). */
async function signInElsewhere(browser: Browser, baseURL: string | undefined, email: string, userAgent: string) {
  const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, userAgent });
  const page = await context.newPage();
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  return { context, page };
}

async function sessionIds(sql: Sql, email: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    `SELECT s.id FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1 ORDER BY s.id`,
    [email],
  );
  return rows.map((row) => row.id);
}

/** Whether `page`'s browser is still signed in: the Security page, or a redirect to sign in. */
async function isSignedIn(page: Page): Promise<boolean> {
  await page.goto("/settings/security");
  await expect(page).toHaveURL(/\/(settings\/security|sign-in)/);
  return new URL(page.url()).pathname === "/settings/security";
}

test("every section has its own URL, /settings opens Profile, and the sidebar works by keyboard with the current section marked", async ({
  page,
}, testInfo) => {
  const email = uniqueEmail("settings");
  const shots = testInfo.project.name === "http"; // one set of screenshots, not one per project
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);

  await test.step("/settings opens Profile; each section's URL opens that section", async () => {
    await page.goto("/settings");
    await expectCurrentSection(page, SECTIONS[0]);
    await expect(page.getByTestId("profile-email")).toHaveText(email);
    for (const section of SECTIONS) {
      await page.goto(section.path);
      await expectCurrentSection(page, section);
    }
  });

  await test.step("keyboard: Tab moves through the sections with a visible focus, Enter opens one", async () => {
    await page.goto("/settings/profile");
    await settingsNav(page).getByRole("link", { name: "Profile" }).focus();
    for (const section of SECTIONS.slice(1)) {
      await page.keyboard.press("Tab");
      await expectVisibleFocus(page, section.name);
      await page.keyboard.press("Enter");
      await expectCurrentSection(page, section);
      await settingsNav(page).getByRole("link", { name: section.name, exact: true }).focus();
    }
  });

  await test.step("no serious accessibility violation in any section, light and dark; screenshots", async () => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const section of SECTIONS) {
        await page.goto(section.path);
        await expectCurrentSection(page, section);
        if (section.name === "Connected accounts") await expect(page.getByTestId(GOOGLE_LOADED_TEST_ID)).toBeVisible();
        await expectAccessible(page, `${section.name} (${scheme})`);
        const file = section.path.split("/").pop();
        // The Security section's screenshots show three sessions: the sessions test takes them.
        if (shots && file !== "security")
          await page.screenshot({ path: `e2e/screenshots/settings-${file}-${scheme}.png`, fullPage: true });
      }
    }
  });
});

test("on a 375 px phone the sections are a row of tabs: no page overflow, keyboard and screen-reader navigable", async ({
  page,
}, testInfo) => {
  const shots = testInfo.project.name === "http";
  await page.setViewportSize({ width: 375, height: 800 });
  await signInOverHttp(page, "Google", uniqueEmail("settings-phone"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const section of SECTIONS) {
      await page.goto(section.path);
      await expectCurrentSection(page, section);
      for (const { name } of SECTIONS) {
        await expect(settingsNav(page).getByRole("link", { name, exact: true })).toBeInViewport({ ratio: 1 });
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await expectAccessible(page, `${section.name} (phone, ${scheme})`);
      const file = section.path.split("/").pop();
      if (shots && file !== "security")
        await page.screenshot({ path: `e2e/screenshots/settings-${file}-phone-${scheme}.png`, fullPage: true });
    }
  }
  await page.goto("/settings/profile");
  await settingsNav(page).getByRole("link", { name: "Profile" }).focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expectVisibleFocus(page, "Security");
  await page.keyboard.press("Enter");
  await expectCurrentSection(page, SECTIONS[2]);
});

test("the name can be changed; a blank or hidden-character name is refused with the reason, and nothing changes", async ({
  page,
  sql,
}) => {
  const email = uniqueEmail("rename");
  await signInOverHttp(page, "Google", email);
  await page.goto("/settings/profile");
  const field = page.getByRole("textbox", { name: "Name" });

  await field.fill("  Ada Lovelace  ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toHaveText("Your name was saved.");
  await expect(page.getByTestId("profile-name")).toHaveText("Ada Lovelace");
  await expect(page.getByTestId("user-menu").locator("summary")).toHaveAccessibleName("Account menu for Ada Lovelace");
  const stored = async () =>
    (await sql<{ name: string }>(`SELECT name FROM "User" WHERE email = $1`, [email]))[0]?.name;
  expect(await stored()).toBe("Ada Lovelace");

  for (const [name, reason] of [
    ["   ", "Enter a name."],
    ["Ada\u202Eecalevol", "Use letters, digits, spaces and punctuation only."],
  ] as const) {
    await field.fill(name);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(reason, { exact: true }).first()).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");
    expect(await stored()).toBe("Ada Lovelace");
  }
});

test("Security lists each session with its device and last seen; signing out one, then all the others, ends them in their browsers", async ({
  page,
  browser,
  baseURL,
  sql,
}, testInfo) => {
  const email = uniqueEmail("sessions");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const firefox = await signInElsewhere(browser, baseURL, email, FIREFOX_WINDOWS);
  const iphone = await signInElsewhere(browser, baseURL, email, SAFARI_IPHONE);
  expect(await sessionIds(sql, email)).toHaveLength(3);

  const sessions = page.getByTestId("session");
  await test.step("three sessions: this one first, marked, and the others with their device", async () => {
    await page.goto("/settings/security");
    await expect(sessions).toHaveCount(3);
    await expect(sessions.first()).toHaveAttribute("data-current", "true");
    await expect(sessions.first()).toContainText("This device");
    await expect(sessions.first()).toContainText("Active now");
    await expect(sessions.filter({ hasText: "This device" })).toHaveCount(1);
    for (const device of ["Firefox on Windows", "Safari on iOS"]) {
      const session = sessions.filter({ has: page.getByTestId("session-device").getByText(device, { exact: true }) });
      await expect(session).toContainText("Last seen just now");
      await expect(session.locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
    }
  });

  await test.step("no serious accessibility violation with the sign-out buttons, light, dark and 375 px; screenshots", async () => {
    const shots = testInfo.project.name === "http";
    for (const [width, suffix] of [
      [1280, ""],
      [375, "-phone"],
    ] as const) {
      await page.setViewportSize({ width, height: 720 });
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectAccessible(page, `Security${suffix} (${scheme})`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
          0,
        );
        if (shots)
          await page.screenshot({ path: `e2e/screenshots/settings-security${suffix}-${scheme}.png`, fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.emulateMedia({ colorScheme: "light" });
  });

  await test.step("sign out the iPhone: it is signed out, the others stay", async () => {
    await page.getByRole("button", { name: "Sign out Safari on iOS" }).click();
    await expect(page.getByTestId("toast")).toHaveText("Signed out of that session.");
    await expect(sessions).toHaveCount(2);
    expect(await isSignedIn(iphone.page)).toBe(false);
    expect(await isSignedIn(firefox.page)).toBe(true);
  });

  await test.step("Sign out other sessions, once the first toast has gone: it says so too, and only this one is left", async () => {
    await expect(page.getByTestId("toast")).toBeHidden({ timeout: 15_000 });
    await page.getByRole("button", { name: "Sign out other sessions" }).click();
    await expect(page.getByTestId("toast")).toHaveText("Signed out of your other sessions.");
    await expect(sessions).toHaveCount(1);
    await expect(page.getByTestId("no-other-sessions")).toBeVisible();
    expect(await isSignedIn(firefox.page)).toBe(false);
    expect(await isSignedIn(page)).toBe(true);
    expect(await sessionIds(sql, email)).toHaveLength(1);
  });
  await firefox.context.close();
  await iphone.context.close();
});

test("signing out other sessions with an old sign-in asks to confirm who you are first, then does it", async ({
  page,
  browser,
  baseURL,
  sql,
}) => {
  const email = uniqueEmail("sessions-reauth");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const firefox = await signInElsewhere(browser, baseURL, email, FIREFOX_WINDOWS);
  await page.goto("/settings/security");
  await expect(page.getByTestId("session")).toHaveCount(2);
  // This browser's sign-in is an hour old; the other's is fresh.
  await sql(
    `UPDATE "Session" SET "verifiedAt" = "verifiedAt" - interval '1 hour'
     WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND "userAgent" IS DISTINCT FROM $2`,
    [email, FIREFOX_WINDOWS],
  );

  await page.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByText("You asked to sign out of your other sessions.")).toBeVisible();
  expect(await isSignedIn(firefox.page)).toBe(true);

  await page.getByRole("button", { name: /Continue with Google/ }).click();
  await chooseSandboxAccount(page, email);
  await expect(page).toHaveURL(/\/settings\/security/);
  await expect(page.getByTestId("toast")).toHaveText("Signed out of your other sessions.");
  expect(await isSignedIn(firefox.page)).toBe(false);
  expect(await sessionIds(sql, email)).toHaveLength(1);
  await firefox.context.close();
});

test("another user's session id in a forged sign-out post ends nothing", async ({ page, browser, baseURL, sql }) => {
  const alice = uniqueEmail("victim");
  const mallory = uniqueEmail("forger");
  const aliceBrowser = await signInElsewhere(browser, baseURL, alice, FIREFOX_WINDOWS);
  await signInOverHttp(page, "Google", mallory);
  await expect(page.getByTestId("signed-in-email")).toHaveText(mallory);
  const malloryElsewhere = await signInElsewhere(browser, baseURL, mallory, SAFARI_IPHONE);
  const [aliceSession] = await sessionIds(sql, alice);
  expect(aliceSession).toBeDefined();

  await page.goto("/settings/security");
  const form = page.getByTestId("session").filter({ hasText: "Safari on iOS" }).locator("form");
  await form.locator('input[name="sessionId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = id;
  }, aliceSession!);
  await form.getByRole("button", { name: /^Sign out/ }).click();
  await expect(page.getByTestId("toast")).toHaveText("That session had already ended.");

  expect(await sessionIds(sql, alice)).toEqual([aliceSession]);
  expect(await isSignedIn(aliceBrowser.page)).toBe(true);
  expect(await sessionIds(sql, mallory)).toHaveLength(2);
  expect(await isSignedIn(malloryElsewhere.page)).toBe(true);
  await aliceBrowser.context.close();
  await malloryElsewhere.context.close();
});

test("without JavaScript the sections still navigate with the current one marked, and Sign out other sessions still works", async ({
  page,
  browser,
  baseURL,
  sql,
}) => {
  const email = uniqueEmail("settings-nojs");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  const other = await signInElsewhere(browser, baseURL, email, FIREFOX_WINDOWS);
  const noScript = await browser.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    javaScriptEnabled: false,
    storageState: await page.context().storageState(),
  });
  const plain = await noScript.newPage();
  await plain.goto("/settings");
  await expectCurrentSection(plain, SECTIONS[0]);
  await settingsNav(plain).getByRole("link", { name: "Security" }).click();
  await expectCurrentSection(plain, SECTIONS[2]);
  await expect(plain.getByTestId("session")).toHaveCount(2);
  await plain.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(plain.getByTestId("no-other-sessions")).toBeVisible();
  expect(await sessionIds(sql, email)).toHaveLength(1);
  expect(await isSignedIn(other.page)).toBe(false);
  await noScript.close();
  await other.context.close();
});
