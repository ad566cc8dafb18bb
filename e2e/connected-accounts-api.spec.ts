import { expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";

test("the connected-accounts API serves the signed-in user only, never cached, tokens only where asked", async ({
  page,
  browser,
  baseURL,
  sql,
  sandbox,
}) => {
  const email = uniqueEmail("api");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  // The home page's health line reads GET /api/connected-accounts through useConnectedAccounts.
  await expect(page.getByTestId("account-health-summary")).toHaveText("Every connected account is working.");
  const api = page.request;

  const tokenResponse = await api.get("/api/connected-accounts/google/token");
  expect(tokenResponse.status()).toBe(200);
  expect(tokenResponse.headers()["cache-control"]).toContain("no-store");
  expect(tokenResponse.headers()["access-control-allow-origin"]).toBeUndefined();
  const token = await tokenResponse.json();
  expect(token).toMatchObject({
    object: "oauth_access_token",
    provider: "oauth_google",
    token: expect.any(String),
    expires_at: expect.any(Number),
    public_metadata: expect.objectContaining({ email }),
    label: email,
    scopes: expect.arrayContaining(["openid", "email", "profile"]),
  });
  // What the account's card shows, and no more.
  expect(Object.keys(token.public_metadata).sort()).toEqual(["avatar_url", "display_name", "email"]);
  // The token is real: the (sandbox) Google userinfo endpoint accepts it.
  const userinfo = await fetch(`${sandbox.url}/google-api/oauth2/v3/userinfo`, {
    headers: { authorization: `Bearer ${token.token}` },
  });
  expect(await userinfo.json()).toMatchObject({ email });

  const list = await api.get("/api/connected-accounts");
  expect(list.headers()["cache-control"]).toContain("no-store");
  const listText = await list.text();
  expect(listText).not.toContain(token.token);
  expect(JSON.parse(listText).data).toEqual([
    expect.objectContaining({ provider: "google", email, status: "active", providerAccountId: token.provider_user_id }),
  ]);
  expect(await page.content()).not.toContain(token.token);

  const missing = await api.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(DRIVE)}`);
  expect(missing.status()).toBe(403);
  expect((await missing.json()).error).toMatchObject({
    code: "missing_scopes",
    missingScopes: [DRIVE],
    reconnectUrl: `/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(DRIVE)}`,
  });

  expect((await api.get("/api/connected-accounts/github/token")).status()).toBe(404);
  expect((await api.get("/api/connected-accounts/myspace/token")).status()).toBe(404);
  expect(
    (await api.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent('"><script>')}`)).status(),
  ).toBe(400);

  // Someone else's account id: not found, and nothing about it leaks.
  const stranger = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const strangerEmail = uniqueEmail("stranger");
  const strangerPage = await stranger.newPage();
  await signInOverHttp(strangerPage, "Google", strangerEmail);
  await expect(strangerPage.getByTestId("signed-in-email")).toHaveText(strangerEmail);
  await stranger.close();
  const [other] = await sql<{ providerAccountId: string }>(
    `SELECT a."providerAccountId" FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
    [strangerEmail],
  );
  const foreign = await api.get(`/api/connected-accounts/google/token?providerAccountId=${other!.providerAccountId}`);
  expect(foreign.status()).toBe(404);
  expect(await foreign.text()).not.toContain(strangerEmail);

  // A grant that ends while the home page stays open shows there once the tab regains focus.
  await sql(`UPDATE "Account" SET status = 'needs_reconnect' WHERE "providerAccountId" = $1`, [token.provider_user_id]);
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(page.getByTestId("account-health-summary")).toHaveText("Your Google account needs reconnecting.");

  const anonymous = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  for (const path of ["/api/connected-accounts", "/api/connected-accounts/google/token"]) {
    const response = await anonymous.request.get(path);
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  }
  await anonymous.close();
});
