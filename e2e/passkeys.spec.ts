import type { CDPSession, Page } from "@playwright/test";
import {
  docsScreenshots,
  chooseSandboxAccount,
  expect,
  type Sql,
  signInWithSandbox,
  signOut,
  test,
  uniqueEmail,
} from "../test/playwright/fixtures";

// Passkeys through Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain): a
// CTAP2 platform authenticator that holds discoverable credentials and verifies its user.

const SECURITY = "/settings/security";

type VirtualCredential = {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
};

class Authenticators {
  private constructor(private readonly cdp: CDPSession) {}

  static async on(page: Page): Promise<Authenticators> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    return new Authenticators(cdp);
  }

  async add(): Promise<string> {
    const { authenticatorId } = await this.cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  }

  async credentials(authenticatorId: string): Promise<VirtualCredential[]> {
    return (await this.cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  }

  async remove(authenticatorId: string): Promise<void> {
    await this.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
  }

  /** A new authenticator holding a copy of `credential` (its key), with the sign count given. */
  async copyOf(credential: VirtualCredential, signCount: number): Promise<string> {
    const authenticatorId = await this.add();
    await this.cdp.send("WebAuthn.addCredential", { authenticatorId, credential: { ...credential, signCount } });
    return authenticatorId;
  }
}

async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto(SECURITY);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(
    page
      .getByRole("main")
      .getByRole("status")
      .filter({ hasText: `Passkey “${name}” added.` }),
  ).toBeVisible();
  await expect(page.getByRole("list", { name: "Your passkeys" })).toContainText(name);
}

/** Makes every session of the user older than the confirmation window. */
async function ageSessions(sql: Sql, email: string): Promise<void> {
  const updated = await sql(
    `UPDATE "Session" SET "verifiedAt" = now() - interval '1 hour'
     WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) RETURNING id`,
    [email],
  );
  expect(updated.length).toBeGreaterThan(0);
}

/** Starts adding a passkey with a stale session, which lands on Confirm it's you asking for a passkey. */
async function confirmationForAdding(page: Page): Promise<void> {
  await page.goto(SECURITY);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByText("We will ask for your passkey.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Continue with/ })).toHaveCount(0);
}

async function eventTypes(
  sql: Sql,
  email: string,
): Promise<{ type: string; provider: string; reason: string | null }[]> {
  return sql(
    `SELECT type, provider, reason FROM "ConnectionEvent"
     WHERE "userId" = (SELECT id FROM "User" WHERE email = $1) AND type LIKE 'security.%' ORDER BY seq`,
    [email],
  );
}

test("add a passkey, confirm with it, and remove it (the removal confirmed with the passkey)", async ({
  page,
  sql,
}) => {
  const email = uniqueEmail("passkey");
  const authenticators = await Authenticators.on(page);
  const authenticatorId = await authenticators.add();
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();

  await addPasskey(page, "Test laptop");
  const [stored] = await sql<{ counter: number; userId: string; transports: string }>(
    `SELECT a.counter, a."userId", a.transports FROM "Authenticator" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
    [email],
  );
  expect(stored).toBeDefined();
  expect((await authenticators.credentials(authenticatorId))[0]?.isResidentCredential).toBe(true);
  await expect(page.getByText("We will ask for your passkey.")).toBeVisible();

  await test.step("a stale session confirms with the passkey, then goes on", async () => {
    await ageSessions(sql, email);
    await confirmationForAdding(page);
    await page.getByRole("button", { name: "Use your passkey" }).click();
    await expect(page).toHaveURL(/\/settings\/security/);
    await expect(
      page.getByRole("main").getByRole("status").filter({ hasText: "Confirmed. You can add your passkey now." }),
    ).toBeVisible();
    const [session] = await sql<{ fresh: boolean }>(
      `SELECT s."verifiedAt" > now() - interval '1 minute' AS fresh FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`,
      [email],
    );
    expect(session?.fresh).toBe(true);
    const [after] = await sql<{ counter: number; used: boolean }>(
      `SELECT a.counter, a."lastUsedAt" IS NOT NULL AS used FROM "Authenticator" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
      [email],
    );
    expect(after?.counter).toBeGreaterThan(stored!.counter);
    expect(after?.used).toBe(true);
  });

  await test.step("removal with a stale session asks for the passkey first", async () => {
    await ageSessions(sql, email);
    await page.goto(SECURITY);
    await page.getByRole("button", { name: "Remove Test laptop" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
    await expect(page.getByText("You asked to remove the passkey “Test laptop”.")).toBeVisible();
    await page.getByRole("button", { name: "Use your passkey" }).click();
    await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Passkey removed." })).toBeVisible();
    await expect(page.getByText("No passkeys yet.")).toBeVisible();
    // Without a passkey, Google's re-sign-in is the strongest factor again.
    await expect(page.getByText("We will ask you to sign in to Google again.")).toBeVisible();
  });

  expect(await eventTypes(sql, email)).toEqual([
    { type: "security.passkey_added", provider: "passkey", reason: null },
    { type: "security.reverified", provider: "passkey", reason: "passkey" },
    { type: "security.reverified", provider: "passkey", reason: "passkey" },
    { type: "security.passkey_removed", provider: "passkey", reason: null },
  ]);
  await expect(page.getByRole("list", { name: "Security activity" })).toContainText(
    "Confirmed it's you with a passkey",
  );
});

test("signing out and in again with a provider is no confirmation for a user with a passkey", async ({ page }) => {
  const email = uniqueEmail("passkey-signin");
  const authenticators = await Authenticators.on(page);
  await authenticators.add();
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await addPasskey(page, "Laptop");
  await signOut(page);
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  // A fresh session, but Google's sign-in proves less than the passkey: adding another asks for it.
  await confirmationForAdding(page);
});

test("a first sign-in with GitHub that joins a Google user by email is no confirmation", async ({ page }) => {
  const email = uniqueEmail("join-by-email");
  await signInWithSandbox(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await signOut(page);
  await signInWithSandbox(page, "GitHub", email); // joins by the verified address
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await page.goto(SECURITY);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByText("We will ask you to sign in to Google again.")).toBeVisible();
});

test("another user's passkey does not confirm, even from a client that offers it", async ({
  page,
  browser,
  baseURL,
  sql,
}) => {
  const other = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const otherPage = await other.newPage();
  const otherAuthenticators = await Authenticators.on(otherPage);
  const otherAuthenticator = await otherAuthenticators.add();
  await signInWithSandbox(otherPage, "Google", uniqueEmail("passkey-other"));
  await addPasskey(otherPage, "Someone else's key");
  const [othersCredential] = await otherAuthenticators.credentials(otherAuthenticator);
  await other.close();

  const email = uniqueEmail("passkey-victim");
  const authenticators = await Authenticators.on(page);
  const own = await authenticators.add();
  await signInWithSandbox(page, "Google", email);
  await addPasskey(page, "My key");
  await authenticators.remove(own);
  await authenticators.copyOf(othersCredential!, othersCredential!.signCount + 10);
  // A client that ignores the list of this user's passkeys and answers with any it holds.
  await page.addInitScript(() => {
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      if (options?.publicKey) options.publicKey.allowCredentials = [];
      return get(options);
    };
  });

  await ageSessions(sql, email);
  await confirmationForAdding(page);
  await page.getByRole("button", { name: "Use your passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "That passkey does not belong to this account. Use one you added here.",
  );
  await expect(page).toHaveURL(/\/settings\/verify/);
  const [session] = await sql<{ stale: boolean }>(
    `SELECT s."verifiedAt" < now() - interval '30 minutes' AS stale FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = $1`,
    [email],
  );
  expect(session?.stale).toBe(true);
  expect((await eventTypes(sql, email)).map(({ type }) => type)).toEqual(["security.passkey_added"]);
});

test("a cloned passkey (its counter going backwards) is refused, and the refusal recorded", async ({ page, sql }) => {
  const email = uniqueEmail("passkey-clone");
  const authenticators = await Authenticators.on(page);
  const original = await authenticators.add();
  await signInWithSandbox(page, "Google", email);
  await addPasskey(page, "Original");

  // One use moves the counter forward.
  await ageSessions(sql, email);
  await confirmationForAdding(page);
  await page.getByRole("button", { name: "Use your passkey" }).click();
  // The page shows the notice, then takes it out of its URL (a reload shows it no more).
  await expect(
    page.getByRole("main").getByRole("status").filter({ hasText: "Confirmed. You can add your passkey now." }),
  ).toBeVisible();
  const [credential] = await authenticators.credentials(original);
  expect(credential!.signCount).toBeGreaterThan(0);
  const [{ counter }] = (await sql<{ counter: number }>(
    `SELECT a.counter FROM "Authenticator" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
    [email],
  )) as [{ counter: number }];

  // The same key in another authenticator that has counted less: a clone.
  await authenticators.remove(original);
  await authenticators.copyOf(credential!, 0);
  await ageSessions(sql, email);
  await confirmationForAdding(page);
  await page.getByRole("button", { name: "Use your passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("it answered as if it had been copied");
  await expect(page).toHaveURL(/\/settings\/verify/);

  const [after] = await sql<{ counter: number }>(
    `SELECT a.counter FROM "Authenticator" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
    [email],
  );
  expect(after?.counter).toBe(counter);
  expect((await eventTypes(sql, email)).at(-1)).toMatchObject({
    type: "security.passkey_refused",
    provider: "passkey",
  });
});

test("with no passkey, Confirm it's you asks for the strongest linked provider and says why", async ({ page, sql }) => {
  const email = uniqueEmail("factor-github");
  await signInWithSandbox(page, "GitHub", email);
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await ageSessions(sql, email);
  await page.goto(SECURITY);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
  await expect(page.getByText("We will ask GitHub to confirm it is you.")).toBeVisible();
  await expect(page.getByText(/may approve without asking for your password/)).toBeVisible();
  await page.getByRole("button", { name: /Continue with GitHub/ }).click();
  await chooseSandboxAccount(page, email);
  await expect(page).toHaveURL(/\/settings\/security/);
  await expect(
    page.getByRole("main").getByRole("status").filter({ hasText: "Confirmed. You can add your passkey now." }),
  ).toBeVisible();
  expect(await eventTypes(sql, email)).toEqual([
    { type: "security.reverified", provider: "github", reason: "provider-approval" },
  ]);
});

// DOCS_SCREENSHOTS=1 npx playwright test e2e/passkeys.spec.ts --project=http -g screenshots
test("screenshots of Confirm it's you with each factor, light, dark and 375 px", async ({ page, sql }, testInfo) => {
  test.skip(!process.env.DOCS_SCREENSHOTS || testInfo.project.name !== "http", "writes docs/*.png on request");
  const authenticators = await Authenticators.on(page);
  await authenticators.add();
  const factors = [
    { name: "passkey", provider: "Google" as const, passkey: true },
    { name: "oidc", provider: "Google" as const, passkey: false },
    { name: "github", provider: "GitHub" as const, passkey: false },
  ];
  for (const factor of factors) {
    await page.context().clearCookies();
    const email = uniqueEmail(`shot-${factor.name}`);
    await signInWithSandbox(page, factor.provider, email);
    await expect(page.getByTestId("signed-in-email")).toBeVisible();
    if (factor.passkey) await addPasskey(page, "MacBook Air");
    await ageSessions(sql, email);
    await page.goto(SECURITY);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Confirm it's you" })).toBeVisible();
    await docsScreenshots(page, `confirm-${factor.name}`, { height: 760, fullPage: false });
  }
});
