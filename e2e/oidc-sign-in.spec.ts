import { chooseSandboxAccount, expect, test, uniqueEmail } from "../test/playwright/fixtures";

// The generic OpenID Connect provider in a production build: the server found the sandbox's /oidc
// by discovery when it started, and Auth.js signs in through it (RFC 9207's iss checked on the way).

test("a new user signs in with the generic OpenID Connect issuer: user, account and tokens are stored", async ({
  page,
  sql,
}) => {
  const email = uniqueEmail("oidc");
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with OpenID Connect" }).click();
  await chooseSandboxAccount(page, email);

  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  await expect(page.getByTestId("linked-accounts").locator("[data-provider=oidc]")).toContainText(email);
  const [account] = await sql<{
    provider: string;
    status: string;
    refresh_token: string | null;
    grantedScopes: string[];
  }>(`SELECT a.* FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`, [email]);
  expect(account).toMatchObject({ provider: "oidc", status: "active" });
  expect(account?.refresh_token).toBeTruthy();
  expect(account?.grantedScopes).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
});
