import type { APIResponse, Page } from "@playwright/test";
import {
  chooseSandboxAccount,
  expect,
  linkFromSettings,
  sessionCookieName,
  signInOverHttp,
  signInWithSandbox,
  test,
  uniqueEmail,
} from "../test/playwright/fixtures";

// Hostile or broken requests: each gets a clear refusal (a 4xx, an error the page shows, or the
// sign-in page), and none of them changes a user, an account or a session.

const PAGE = "/settings/connected-accounts";
type Sql = <Row extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<Row[]>;

async function databaseSnapshot(sql: Sql) {
  return {
    users: await sql(`SELECT * FROM "User" ORDER BY id`),
    accounts: await sql(`SELECT * FROM "Account" ORDER BY id`),
    sessions: await sql(`SELECT * FROM "Session" ORDER BY id`),
  };
}

async function signInWithTwoAccounts(page: Page): Promise<void> {
  await signInOverHttp(page, "Google", uniqueEmail("bad-input"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await linkFromSettings(page, "GitHub", uniqueEmail("bad-input-gh"));
}

type CapturedPost = { url: string; headers: Record<string, string>; body: Buffer };

/** Lets the browser build a real server-action post, keeps it, and stops it from reaching the server. */
async function captureServerActionPost(page: Page, submit: () => Promise<void>): Promise<CapturedPost> {
  let keep: (post: CapturedPost) => void = () => {};
  const captured = new Promise<CapturedPost>((resolve) => (keep = resolve));
  await page.route("**/*", async (route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.continue();
    keep({
      url: request.url(),
      headers: await request.allHeaders(),
      body: request.postDataBuffer() ?? Buffer.alloc(0),
    });
    await route.abort();
  });
  await submit();
  const post = await captured;
  await page.unrouteAll({ behavior: "ignoreErrors" });
  return post;
}

/** Replays a captured post with the page's cookies, after changing its body or headers. */
function replay(page: Page, post: CapturedPost, change: { body?: Buffer; headers?: Record<string, string> } = {}) {
  const headers = { ...post.headers, ...change.headers };
  for (const name of ["cookie", "content-length", "host"]) delete headers[name];
  return page.request.post(post.url, { headers, data: change.body ?? post.body, maxRedirects: 0 });
}

function withField(post: CapturedPost, from: string, to: string): Buffer {
  const body = post.body.toString("latin1");
  expect(body).toContain(from);
  return Buffer.from(body.replace(from, to), "latin1");
}

test("forged disconnect posts: someone else's account, malformed and oversized ids, unknown actions, no session, another origin", async ({
  page,
  browser,
  baseURL,
  sql,
}) => {
  // Someone else's account, whose id the attacker somehow learned.
  const victim = await browser.newPage({ baseURL, ignoreHTTPSErrors: true });
  await signInOverHttp(victim, "Google", uniqueEmail("victim"));
  await expect(victim.getByTestId("signed-in-email")).toBeVisible();
  const victimEmail = await victim.getByTestId("signed-in-email").textContent();
  const [victimAccount] = await sql<{ id: string }>(
    `SELECT a.id FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1`,
    [victimEmail],
  );

  await signInWithTwoAccounts(page);
  const [ownAccount] = await sql<{ id: string }>(
    `SELECT a.id FROM "Account" a JOIN "Session" s ON s."userId" = a."userId" WHERE a.provider = 'github'
     ORDER BY a."createdAt" DESC LIMIT 1`,
  );
  const [ownAccountId, victimAccountId] = [ownAccount!.id, victimAccount!.id];
  const post = await captureServerActionPost(page, async () => {
    await page.getByTestId("provider-card-github").getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  });
  const before = await databaseSnapshot(sql);

  const stranger = await replay(page, post, { body: withField(post, ownAccountId, victimAccountId) });
  expect(stranger.status()).toBe(200);
  expect(await stranger.text()).toContain("That connected account does not exist or is not yours.");

  for (const junk of [`x' OR '1'='1`, "../../etc/passwd", "", "a".repeat(65)]) {
    const response = await replay(page, post, { body: withField(post, ownAccountId, junk) });
    expect(response.status(), junk).toBe(200);
    expect(await response.text(), junk).toContain("The request was not understood.");
  }

  const oversized = await replay(page, post, { body: withField(post, ownAccountId, "a".repeat(2 * 1024 * 1024)) });
  expect(oversized.status()).toBe(413);
  expect(await oversized.text()).toBe("Request body too large.");

  const unknownAction = await replay(page, post, { headers: { "next-action": "00".repeat(21) } });
  expect(unknownAction.status()).toBe(409);
  expect(await unknownAction.text()).toBe("Server Action unavailable.");

  const crossSite = await replay(page, post, { headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toBe("Posts from other sites are not accepted.");
  const opaqueOrigin = await replay(page, post, { headers: { origin: "null" } });
  expect(opaqueOrigin.status()).toBe(403);

  const anonymous = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
  const headers = { ...post.headers };
  for (const name of ["cookie", "content-length", "host"]) delete headers[name];
  const signedOut = await anonymous.request.post(post.url, { headers, data: post.body, maxRedirects: 0 });
  expect(signedOut.headers()["x-action-redirect"]).toMatch(/^\/sign-in\?callbackUrl=/);
  await anonymous.close();

  expect(await databaseSnapshot(sql)).toEqual(before);
  await victim.close();
});

test("forged connect posts: an unknown provider or junk scopes come back as a visible error", async ({ page, sql }) => {
  await signInOverHttp(page, "Google", uniqueEmail("forged-connect"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await page.goto(PAGE);
  const post = await captureServerActionPost(page, () =>
    page.getByTestId("provider-card-github").getByRole("button", { name: "Connect GitHub" }).click(),
  );
  const before = await databaseSnapshot(sql);

  for (const body of [withField(post, "github", "myspace"), withField(post, "github", "github\u0000")]) {
    const response = await replay(page, post, { body });
    expect(response.headers()["x-action-redirect"]).toMatch(/^\/settings\/connected-accounts\?error=invalid_request/);
  }
  await page.goto(`${PAGE}?error=invalid_request`);
  await expect(page.getByTestId("toast")).toHaveText("The request was not understood.");
  await page.goto(`${PAGE}?error=<script>alert(1)</script>`);
  await expect(page.getByTestId("toast")).toHaveCount(0);
  expect(await databaseSnapshot(sql)).toEqual(before);
});

test("a tampered or forged session cookie is a signed-out visitor", async ({ page, browser, baseURL, sql }) => {
  await signInWithSandbox(page, "Google", uniqueEmail("cookie"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === sessionCookieName(baseURL))!;
  expect(session).toBeDefined();
  const before = await databaseSnapshot(sql);

  const last = session.value.at(-1) === "a" ? "b" : "a";
  for (const value of [`${session.value.slice(0, -1)}${last}`, "", "x".repeat(4000), "' OR 1=1 --", "%00"]) {
    const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true });
    await context.addCookies([{ ...session, value }]);
    const visitor = await context.newPage();
    expect((await visitor.request.get("/api/connected-accounts")).status(), value).toBe(401);
    expect((await visitor.request.get("/api/connected-accounts/google/token")).status(), value).toBe(401);
    await visitor.goto(PAGE);
    await expect(visitor, value).toHaveURL(/\/sign-in\?callbackUrl=/);
    await context.close();
  }
  expect(await databaseSnapshot(sql)).toEqual(before);
});

/**
 * Signs in up to the provider's answer: the callback URL with a fresh code, which the browser is
 * kept from opening (the sandbox's redirects are followed by hand, and the last one is not).
 */
async function captureGoogleCallback(page: Page, sandboxUrl: string, email: string): Promise<URL> {
  let callback: URL | undefined;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Google" }).click();
  await page.route(`${sandboxUrl}/**`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    let url = new URL(route.request().url());
    let location = (await route.fetch({ maxRedirects: 0 })).headers()["location"];
    while (location && !new URL(location, url).pathname.startsWith("/api/auth/callback/")) {
      url = new URL(location, url);
      location = (await page.request.get(url.toString(), { maxRedirects: 0 })).headers()["location"];
    }
    callback = location ? new URL(location, url) : undefined;
    await route.fulfill({ status: 200, contentType: "text/plain", body: "callback captured" });
  });
  await chooseSandboxAccount(page, email);
  await expect.poll(() => callback?.searchParams.has("code")).toBe(true);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  return callback!;
}

test("OAuth callbacks: a wrong state or a missing PKCE verifier is refused and signs nobody in", async ({
  page,
  baseURL,
  sql,
  sandbox,
}) => {
  const email = uniqueEmail("callback");
  const url = await captureGoogleCallback(page, sandbox.url, email);
  const before = await databaseSnapshot(sql);

  const wrongState = new URL(url);
  wrongState.searchParams.set("state", `${url.searchParams.get("state")}x`);
  await page.goto(wrongState.toString());
  await expect(page).toHaveURL(/\/auth-error\?error=/);
  await expect(page.getByRole("heading", { name: "Sign-in problem" })).toBeVisible();

  await page.context().clearCookies({ name: /pkce/ });
  await page.goto(url.toString());
  await expect(page).toHaveURL(/\/auth-error\?error=/);

  expect((await page.context().cookies()).some((cookie) => cookie.name === sessionCookieName(baseURL))).toBe(false);
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [email])).toEqual([]);
  expect(await databaseSnapshot(sql)).toEqual(before);
});

test("open redirects: callbackUrl never leaves the site", async ({ page, baseURL }) => {
  for (const target of [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
  ]) {
    await page.context().clearCookies();
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
    await page.getByRole("button", { name: "Continue with Google" }).click();
    await chooseSandboxAccount(page, uniqueEmail("redirect"));
    await expect(page.getByTestId("signed-in-email")).toBeVisible();
    expect(new URL(page.url()).origin, target).toBe(new URL(baseURL!).origin);
  }
});

test("junk in scopes, provider and account parameters: 4xx with a readable error, nothing stored", async ({
  page,
  sql,
}) => {
  await signInOverHttp(page, "Google", uniqueEmail("junk-params"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  const before = await databaseSnapshot(sql);
  const expectError = async (response: APIResponse, status: number, code: string) => {
    expect(response.status(), response.url()).toBe(status);
    expect((await response.json()).error, response.url()).toMatchObject({ code, message: expect.any(String) });
  };

  for (const scopes of [
    'a"b',
    "x".repeat(5000),
    "openid\u0000email",
    Array.from({ length: 31 }, (_, i) => `s${i}`).join(" "),
  ]) {
    await expectError(
      await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent(scopes)}`),
      400,
      "invalid_request",
    );
  }
  // Well-formed (RFC 6749 allows these characters) but not granted: the typed answer, as JSON.
  await expectError(
    await page.request.get(`/api/connected-accounts/google/token?scopes=${encodeURIComponent("<script>")}`),
    403,
    "missing_scopes",
  );
  await expectError(await page.request.get("/api/connected-accounts/myspace/token"), 404, "not_linked");
  await expectError(await page.request.get("/api/connected-accounts/github/token"), 404, "not_linked");
  await expectError(
    await page.request.get("/api/connected-accounts/google/token?providerAccountId=someone-else"),
    404,
    "not_linked",
  );
  expect(await databaseSnapshot(sql)).toEqual(before);
});
