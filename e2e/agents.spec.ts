import AxeBuilder from "@axe-core/playwright";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { APIRequestContext, Page } from "@playwright/test";
import { docsScreenshots, expect, signInWithSandbox, test, uniqueEmail, type Sql } from "../test/playwright/fixtures";

// An agent end to end, driven by the official MCP SDK client: discovery (the 401's resource
// metadata, then the authorization server's), Dynamic Client Registration, the consent page in
// Chromium, the token, tools/list, and a tool call that reads the sandbox's Drive. Then Revoke on
// Connected accounts, and the agent's next call gets 401. A second user's agent cannot reach the
// first user's accounts.

const DRIVE = "https://www.googleapis.com/auth/drive.metadata.readonly";

/** No serious or critical axe violation, in light and in dark mode. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
    found.push(...serious.map((violation) => `${name} (${scheme}): ${violation.id} ${violation.help}`));
  }
  await page.emulateMedia({ colorScheme: "light" });
  expect(found).toEqual([]);
}

/** The agent's side of OAuth, in memory, as a desktop agent keeps it. The browser part is the page's. */
class TestAgentAuth implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private information: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";

  constructor(readonly redirectUrl: string) {}

  get clientMetadata() {
    return {
      client_name: "E2E agent",
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/**
 * The agent's HTTP, through a Playwright request context (with no browser cookies): Node's own
 * fetch refuses the https project's self-signed certificate, which the project accepts.
 */
function fetchThrough(request: APIRequestContext): FetchLike {
  return async (url, init) => {
    const body = init?.body instanceof URLSearchParams ? init.body.toString() : init?.body;
    const answer = await request.fetch(url.toString(), {
      method: init?.method ?? "GET",
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      data: typeof body === "string" ? body : undefined,
      maxRedirects: 0,
    });
    const empty = [204, 205, 304].includes(answer.status());
    const bytes = empty ? null : new Uint8Array(await answer.body());
    return new Response(bytes, { status: answer.status(), headers: answer.headers() });
  };
}

function transportFor(baseURL: string, auth: TestAgentAuth, fetch: FetchLike) {
  return new StreamableHTTPClientTransport(new URL("/mcp", baseURL), { authProvider: auth, fetch });
}

/**
 * The whole authorization as an agent does it: the first connect gets 401 and, through discovery
 * and registration, an authorization URL; the user approves it in `page` (signed in); the agent
 * exchanges the code. Returns a connected SDK client.
 */
async function authorizeAgent(
  page: Page,
  baseURL: string,
  callbackPort: number,
  agentHttp: APIRequestContext,
  options: { screenshots?: boolean } = {},
) {
  const auth = new TestAgentAuth(`http://127.0.0.1:${callbackPort}/callback`);
  const fetch = fetchThrough(agentHttp);
  const first = transportFor(baseURL, auth, fetch);
  await expect(new Client({ name: "e2e", version: "1" }).connect(first)).rejects.toThrow(/Unauthorized/i);
  expect(auth.authorizationUrl?.pathname).toBe("/oauth/authorize");
  expect(auth.authorizationUrl?.searchParams.get("code_challenge_method")).toBe("S256");
  expect(auth.authorizationUrl?.searchParams.get("resource")).toBe(new URL("/mcp", baseURL).href);

  // The agent's local callback: the browser lands there with the code.
  let callback: URL | undefined;
  await page.route(`http://127.0.0.1:${callbackPort}/**`, async (route) => {
    callback = new URL(route.request().url());
    await route.fulfill({ contentType: "text/plain", body: "You can close this window." });
  });
  await page.goto(auth.authorizationUrl!.href);
  await expect(page.getByTestId("consent-agent")).toContainText("E2E agent");
  await expect(page.getByTestId("consent-agent")).toContainText(`127.0.0.1:${callbackPort}`);
  await expectAccessible(page, "consent");
  if (options.screenshots) await docsScreenshots(page, "agent-consent");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect.poll(() => callback?.searchParams.get("code")).toBeTruthy();
  expect(callback?.searchParams.get("iss")).toBe(new URL(baseURL).origin);

  await first.finishAuth(callback!.searchParams.get("code")!);
  const client = new Client({ name: "e2e", version: "1" });
  await client.connect(transportFor(baseURL, auth, fetch));
  return { client, auth };
}

async function grantDrive(page: Page, email: string) {
  await page.goto(`/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(DRIVE)}`);
  await page.getByTestId("connect-request").getByRole("button", { name: "Continue to Google" }).click();
  await page.getByTestId("sandbox-email-input").fill(email);
  await page.getByTestId("sandbox-email-submit").click();
  await expect(page.getByTestId("toast")).toContainText("Access granted");
}

function driveNames(result: Awaited<ReturnType<Client["callTool"]>>): string[] {
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return (JSON.parse(text) as { name: string }[]).map((file) => file.name);
}

async function googleAccountId(sql: Sql, email: string): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `SELECT a.id FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE u.email = $1 AND a.provider = 'google'`,
    [email],
  );
  return row!.id;
}

test("an agent reads Drive through the user's account, the user revokes it, and another user's agent sees none of it", async ({
  page,
  browser,
  baseURL,
  request,
  sql,
}) => {
  // Two users through sign-in, a grant at Google and consent each: more than the default 90 s.
  test.setTimeout(180_000);
  const alice = uniqueEmail("agent-alice");
  const bob = uniqueEmail("agent-bob");

  await signInWithSandbox(page, "Google", alice);
  await expect(page.getByTestId("signed-in-email")).toHaveText(alice);
  await grantDrive(page, alice);

  const { client, auth } = await test.step("discovery, registration, consent, token", () =>
    authorizeAgent(page, baseURL!, 33_451, request, { screenshots: true }));

  await test.step("tools/list, and a tool call returns the sandbox's Drive files", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("recent_drive_files");
    const names = driveNames(await client.callTool({ name: "recent_drive_files", arguments: { count: 3 } }));
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^Quarterly plan/);
  });

  await test.step("Agents with access shows it, with its last use; Revoke ends it on the next call", async () => {
    await page.goto("/settings/connected-accounts");
    const grant = page.getByTestId("agent-grant").filter({ hasText: "E2E agent" });
    await expect(grant).toContainText("Recent Drive files");
    await expect(grant.getByTestId("agent-last-used")).toContainText("Last used");
    await expectAccessible(page, "agents with access");
    await docsScreenshots(page, "agents-with-access", { part: page.getByTestId("agents-with-access") });
    await grant.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByTestId("agent-grant")).toHaveCount(0);

    const accessToken = auth.tokens()!.access_token;
    const next = await fetchThrough(request)(new URL("/mcp", baseURL), {
      method: "POST",
      headers: {
        authorization: `Bearer ${accessToken}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    expect(next.status).toBe(401);
    expect(next.headers.get("www-authenticate")).toContain("resource_metadata=");
    await client.close();
  });

  await test.step("a second user's agent cannot reach the first user's accounts", async () => {
    const context = await browser.newContext({ baseURL });
    const bobPage = await context.newPage();
    await signInWithSandbox(bobPage, "Google", bob);
    await expect(bobPage.getByTestId("signed-in-email")).toHaveText(bob);
    const { client: bobAgent } = await authorizeAgent(bobPage, baseURL!, 33_452, request);
    const aliceAccount = await googleAccountId(sql, alice);

    const listed = await bobAgent.callTool({ name: "list_connected_accounts", arguments: {} });
    expect(JSON.stringify(listed.content)).not.toContain(aliceAccount);
    const reached = await bobAgent.callTool({ name: "recent_drive_files", arguments: { account_id: aliceAccount } });
    expect(reached.isError).toBe(true);
    await bobAgent.close();
    await context.close();
  });
});
