import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markRevoked, changeWithEvents, unlinkAccount } from "../connected-accounts";
import { authorizeGithub, authorizeGoogle, authorizeMicrosoft } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { googleUser } from "../../test/vitest/google-user";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { approveAuthorization, checkAuthorizationRequest } from "./authorize";
import { registerClient, resolveClient } from "./clients";
import { agentEndpoints } from "./endpoints";
import { listAgentGrants, revokeAgentGrant } from "./grants";
import { handleMcpRequest, MAX_MCP_REQUEST_BYTES } from "./mcp-server";
import { handleRegistration, handleTokenRequest } from "./oauth-endpoints";
import { secretHash } from "./secrets";

const stack = sandboxAndDatabaseForThisFile();
const ORIGIN = "http://localhost:3000";
const RESOURCE = agentEndpoints(ORIGIN).resource;
const REDIRECT_URI = "http://127.0.0.1:33418/callback";
const DRIVE = "https://www.googleapis.com/auth/drive.metadata.readonly";
const ALL_TOOLS = ["list_connected_accounts", "recent_drive_files", "github_repositories", "gmail_labels"];

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

async function newClient(name = "Test agent", redirectUris = [REDIRECT_URI]): Promise<string> {
  const registered = await registerClient({ client_name: name, redirect_uris: redirectUris });
  if (!registered.ok) throw new Error(registered.error.detail);
  return (registered.registration as { client_id: string }).client_id;
}

function authorizationQuery(clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: "S256",
    resource: RESOURCE,
    state: "s1",
    ...extra,
  });
}

function tokenRequest(fields: Record<string, string>): Request {
  const body = new URLSearchParams(fields).toString();
  return new Request(`${ORIGIN}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) },
    body,
  });
}

type Tokens = { access_token: string; refresh_token: string; expires_in: number };

/** An agent the user approved with `tools` and `accountIds`, through the consent step and the token endpoint. */
async function authorizedAgent(userId: string, choice: { tools?: string[]; accountIds: string[] }) {
  const clientId = await newClient();
  const { verifier, challenge } = pkce();
  const checked = await checkAuthorizationRequest(authorizationQuery(clientId, challenge), ORIGIN);
  if (!checked.ok) throw new Error(checked.error.detail);
  const redirect = new URL(
    await approveAuthorization(userId, checked.request, { tools: choice.tools ?? ALL_TOOLS, ...choice }, ORIGIN),
  );
  expect(redirect.searchParams.get("state")).toBe("s1");
  expect(redirect.searchParams.get("iss")).toBe(ORIGIN);
  const code = redirect.searchParams.get("code")!;
  const exchange = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: clientId };
  const response = await handleTokenRequest(
    tokenRequest({ ...exchange, code_verifier: verifier, resource: RESOURCE }),
    ORIGIN,
  );
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as Tokens;
  return { clientId, code, verifier, tokens, exchange };
}

/** The official MCP SDK client, talking to /mcp's handler (no HTTP server needed). */
async function mcpClient(accessToken: string, origin = ORIGIN) {
  const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
    fetch: (url, init) => handleMcpRequest(new Request(url, init), origin),
  });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  return client;
}

function mcpPost(accessToken: string | undefined, body: unknown, url = `${ORIGIN}/mcp`): Promise<Response> {
  const text = JSON.stringify(body);
  return handleMcpRequest(
    new Request(url, {
      method: "POST",
      headers: {
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "content-length": String(Buffer.byteLength(text)),
      },
      body: text,
    }),
    ORIGIN,
  );
}

const toolsList = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

async function googleUserWithDrive(email: string) {
  const tokens = await authorizeGoogle(stack.sandbox().url, { email, scope: `openid email profile ${DRIVE}` });
  const linked = await linkedUser(stack.db(), "google", tokens);
  const row = await stack.db().account.findFirstOrThrow({ where: { providerAccountId: linked.providerAccountId } });
  return { userId: linked.userId, accountId: row.id };
}

describe("the whole flow with the official SDK client", () => {
  it("reads OneDrive through a shared Microsoft account (Graph), and asks for Files.Read where it is missing", async () => {
    const files = "https://graph.microsoft.com/Files.Read";
    const withFiles = await authorizeMicrosoft(stack.sandbox().url, {
      email: "ms-agent@example.com",
      scope: `openid profile email offline_access ${files}`,
    });
    const ada = await linkedUser(stack.db(), "microsoft-entra-id", withFiles);
    const row = await stack.db().account.findFirstOrThrow({ where: { providerAccountId: ada.providerAccountId } });
    const agent = await authorizedAgent(ada.userId, { tools: ["recent_onedrive_files"], accountIds: [row.id] });
    const client = await mcpClient(agent.tokens.access_token);
    const result = await client.callTool({ name: "recent_onedrive_files", arguments: { count: 2 } });
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    const listed = JSON.parse(text) as { name: string; webUrl: string }[];
    expect(listed).toHaveLength(2);
    expect(listed[0]).toEqual(expect.objectContaining({ name: expect.any(String), webUrl: expect.any(String) }));
    await client.close();

    const signInOnly = await authorizeMicrosoft(stack.sandbox().url, {
      email: "ms-agent-basic@example.com",
      scope: "openid profile email offline_access",
    });
    const ben = await linkedUser(stack.db(), "microsoft-entra-id", signInOnly);
    const benRow = await stack.db().account.findFirstOrThrow({ where: { providerAccountId: ben.providerAccountId } });
    const benAgent = await authorizedAgent(ben.userId, { tools: ["recent_onedrive_files"], accountIds: [benRow.id] });
    const benClient = await mcpClient(benAgent.tokens.access_token);
    const error = (await benClient
      .callTool({ name: "recent_onedrive_files", arguments: {} })
      .catch((thrown: unknown) => thrown)) as McpError;
    expect(error.code).toBe(ErrorCode.UrlElicitationRequired); // the link that grants Files.Read
    const { elicitations } = error.data as { elicitations: { url: string }[] };
    expect(new URL(elicitations[0]!.url).searchParams.get("scopes")).toContain(files);
    await benClient.close();
  });

  it("lists only the allowed tools, returns the sandbox's Drive files, and notes the use", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, {
      tools: ["list_connected_accounts", "recent_drive_files"],
      accountIds: [alice.accountId],
    });
    expect(agent.tokens.expires_in).toBeLessThanOrEqual(3600);
    const client = await mcpClient(agent.tokens.access_token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["list_connected_accounts", "recent_drive_files"]);
    const result = await client.callTool({ name: "recent_drive_files", arguments: { count: 3 } });
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    const files = JSON.parse(text) as { name: string }[];
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(3);
    expect(text).not.toContain("ya29"); // never a provider token
    await client.close();

    const [grant] = await listAgentGrants(alice.userId);
    expect(grant?.lastUsedTool).toBe("recent_drive_files");
    const events = await stack.db().connectionEvent.findMany({
      where: { userId: alice.userId, type: { startsWith: "agent." } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => event.type)).toEqual(["agent.authorized", "agent.used"]);
    expect(events[1]!.detail).toMatchObject({ agent: { name: "Test agent" }, tool: "recent_drive_files" });
  });

  it("answers a tool whose account is not connected with URL elicitation (-32042) carrying the connect link", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const client = await mcpClient(agent.tokens.access_token);
    const error = await client.callTool({ name: "github_repositories", arguments: {} }).catch((caught) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
    const { elicitations } = (error as McpError).data as { elicitations: { mode: string; url: string }[] };
    // The GitHub App made for repository access is the one offered; a shared sign-in account would do too.
    expect(elicitations[0]).toMatchObject({
      mode: "url",
      url: `${ORIGIN}/settings/connected-accounts?connect=github-app`,
    });
    await client.close();
  });

  it("asks for the missing Google scope the same way", async () => {
    const alice = await googleUser(stack, "alice@example.com"); // openid email profile only
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const client = await mcpClient(agent.tokens.access_token);
    const error = (await client
      .callTool({ name: "gmail_labels", arguments: {} })
      .catch((caught) => caught)) as McpError;
    expect(error.code).toBe(ErrorCode.UrlElicitationRequired);
    expect(JSON.stringify(error.data)).toContain("scopes=");
    await client.close();
  });

  for (const [provider, clientId] of [
    ["github-app", "sandbox-github-app"],
    ["github", "sandbox-github"],
  ] as const) {
    it(`calls GitHub through fetchAs with the ${provider} account the user shared`, async () => {
      const tokens = await authorizeGithub(stack.sandbox().url, { email: `${provider}@example.com`, clientId });
      const linked = await linkedUser(stack.db(), provider, tokens);
      const row = await stack.db().account.findFirstOrThrow({ where: { provider, userId: linked.userId } });
      const agent = await authorizedAgent(linked.userId, { accountIds: [row.id] });
      const client = await mcpClient(agent.tokens.access_token);
      const result = await client.callTool({ name: "github_repositories", arguments: { account_id: row.id } });
      expect((result.content as { text: string }[])[0]!.text).toContain("/notes");
      const [grant] = await listAgentGrants(linked.userId);
      expect(grant).toMatchObject({ lastUsedTool: "github_repositories" });
      await client.close();
    });
  }
});

describe("bad input is refused and loses nothing", () => {
  it("an unregistered redirect URI: refused on the page, not sent anywhere", async () => {
    const clientId = await newClient();
    const query = authorizationQuery(clientId, pkce().challenge, { redirect_uri: "http://127.0.0.1:9/elsewhere" });
    const checked = await checkAuthorizationRequest(query, ORIGIN);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.redirectTo).toBeUndefined();
  });

  it("no PKCE, or plain PKCE: refused, back to the agent with invalid_request", async () => {
    const clientId = await newClient();
    const { challenge } = pkce();
    const without = authorizationQuery(clientId, challenge);
    without.delete("code_challenge");
    without.delete("code_challenge_method");
    const plain = authorizationQuery(clientId, challenge, { code_challenge_method: "plain" });
    const noMethod = authorizationQuery(clientId, challenge);
    noMethod.delete("code_challenge_method");
    for (const query of [without, plain, noMethod]) {
      const checked = await checkAuthorizationRequest(query, ORIGIN);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(new URL(checked.error.redirectTo!).searchParams.get("error")).toBe("invalid_request");
    }
  });

  it("a wrong PKCE verifier, or a code used twice: invalid_grant, and the second use ends the first's tokens", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const replay = await handleTokenRequest(tokenRequest({ ...agent.exchange, code_verifier: agent.verifier }), ORIGIN);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect((await mcpPost(agent.tokens.access_token, toolsList)).status).toBe(401);

    const other = await authorizedAgent(alice.userId, { accountIds: [] });
    expect(other.tokens.access_token).toBeTruthy();
    const clientId = await newClient();
    const { challenge } = pkce();
    const checked = await checkAuthorizationRequest(authorizationQuery(clientId, challenge), ORIGIN);
    if (!checked.ok) throw new Error(checked.error.detail);
    const code = new URL(
      await approveAuthorization(alice.userId, checked.request, { tools: [], accountIds: [] }, ORIGIN),
    ).searchParams.get("code")!;
    const wrong = await handleTokenRequest(
      tokenRequest({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        code_verifier: pkce().verifier,
      }),
      ORIGIN,
    );
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("a used code is kept a day past its minute, so its replay still ends the tokens; older codes are deleted", async () => {
    const alice = await googleUserWithDrive("code-days@example.com");
    const hourOld = await authorizedAgent(alice.userId, { accountIds: [] });
    const dayOld = await authorizedAgent(alice.userId, { accountIds: [] });
    const age = (code: string, interval: string) =>
      stack.db().$executeRaw`
        UPDATE "AgentAuthorizationCode" SET "expiresAt" = now() - ${interval}::interval WHERE "codeHash" = ${secretHash(code)}`;
    await age(hourOld.code, "1 hour");
    await age(dayOld.code, "25 hours");

    await authorizedAgent(alice.userId, { accountIds: [] }); // issues a new code
    const kept = await stack.db().agentAuthorizationCode.findMany({
      where: { codeHash: { in: [secretHash(hourOld.code), secretHash(dayOld.code)] } },
    });
    expect(kept.map((code) => code.codeHash)).toEqual([secretHash(hourOld.code)]);
    const replay = await handleTokenRequest(
      tokenRequest({ ...hourOld.exchange, code_verifier: hourOld.verifier }),
      ORIGIN,
    );
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect((await mcpPost(hourOld.tokens.access_token, toolsList)).status).toBe(401);
  });

  it("a token for another resource: refused at the token endpoint and at /mcp", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const otherOrigin = "http://other.example";
    const elsewhere = await handleMcpRequest(
      new Request(`${otherOrigin}/mcp`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent.tokens.access_token}`, "content-type": "application/json" },
        body: JSON.stringify(toolsList),
      }),
      otherOrigin,
    );
    expect(elsewhere.status).toBe(401);
    const refresh = await handleTokenRequest(
      tokenRequest({
        grant_type: "refresh_token",
        refresh_token: agent.tokens.refresh_token,
        client_id: agent.clientId,
        resource: "https://other.example/mcp",
      }),
      ORIGIN,
    );
    expect(await refresh.json()).toMatchObject({ error: "invalid_target" });
    const query = authorizationQuery(agent.clientId, pkce().challenge, { resource: "https://other.example/mcp" });
    const checked = await checkAuthorizationRequest(query, ORIGIN);
    expect(!checked.ok && new URL(checked.error.redirectTo!).searchParams.get("error")).toBe("invalid_target");
  });

  it("no token: 401 with WWW-Authenticate naming the resource metadata; a token in the query: 400", async () => {
    const none = await mcpPost(undefined, toolsList);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain(
      `resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`,
    );
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const inQuery = await mcpPost(undefined, toolsList, `${ORIGIN}/mcp?access_token=${agent.tokens.access_token}`);
    expect(inQuery.status).toBe(400);
    // A refresh token is not an access token.
    expect((await mcpPost(agent.tokens.refresh_token, toolsList)).status).toBe(401);
  });

  it("a refresh token used twice ends the whole family; tokens are stored hashed only", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const stored = await stack.db().agentToken.findMany({ where: { grant: { userId: alice.userId } } });
    expect(stored.map((row) => row.tokenHash)).toContain(secretHash(agent.tokens.access_token));
    expect(JSON.stringify(stored)).not.toContain(agent.tokens.access_token);

    const refresh = () =>
      handleTokenRequest(
        tokenRequest({
          grant_type: "refresh_token",
          refresh_token: agent.tokens.refresh_token,
          client_id: agent.clientId,
        }),
        ORIGIN,
      );
    const first = await refresh();
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as Tokens;
    expect(rotated.refresh_token).not.toBe(agent.tokens.refresh_token);
    expect((await mcpPost(rotated.access_token, toolsList)).status).toBe(200);

    const second = await refresh();
    expect(await second.json()).toMatchObject({ error: "invalid_grant" });
    expect((await mcpPost(rotated.access_token, toolsList)).status).toBe(401);
    expect((await mcpPost(agent.tokens.access_token, toolsList)).status).toBe(401);
    const next = await handleTokenRequest(
      tokenRequest({ grant_type: "refresh_token", refresh_token: rotated.refresh_token, client_id: agent.clientId }),
      ORIGIN,
    );
    expect(await next.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("a revoked agent: its next call gets 401, with agent.revoked on the account", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    expect((await mcpPost(agent.tokens.access_token, toolsList)).status).toBe(200);
    const [grant] = await listAgentGrants(alice.userId);
    const bob = await googleUserWithDrive("bob@example.com");
    expect((await revokeAgentGrant(bob.userId, grant!.id)).ok).toBe(false); // not Bob's to revoke
    expect((await revokeAgentGrant(alice.userId, grant!.id)).ok).toBe(true);
    expect((await mcpPost(agent.tokens.access_token, toolsList)).status).toBe(401);
    const revoked = await stack
      .db()
      .connectionEvent.findFirst({ where: { userId: alice.userId, type: "agent.revoked" } });
    expect(revoked?.accountId).toBe(alice.accountId);
  });

  it("a tool asked for another user's account, or one not shared: refused, nothing called", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const bob = await googleUserWithDrive("bob@example.com");
    const agent = await authorizedAgent(bob.userId, { accountIds: [bob.accountId] });
    const client = await mcpClient(agent.tokens.access_token);
    const result = await client.callTool({ name: "recent_drive_files", arguments: { account_id: alice.accountId } });
    expect(result.isError).toBe(true);
    const accounts = await client.callTool({ name: "list_connected_accounts", arguments: {} });
    expect((accounts.content as { text: string }[])[0]!.text).not.toContain(alice.accountId);
    await client.close();
    const aliceAccount = await stack.db().account.findUniqueOrThrow({ where: { id: alice.accountId } });
    expect(aliceAccount.lastUsedAt).toBeNull();
    // Accounts not the user's are dropped at consent too.
    const sneaky = await authorizedAgent(bob.userId, { accountIds: [bob.accountId, alice.accountId] });
    const grants = await listAgentGrants(bob.userId);
    expect(grants.flatMap((grant) => grant.accounts.map((account) => account.id))).not.toContain(alice.accountId);
    expect(sneaky.tokens.access_token).toBeTruthy();
  });

  it("oversized tool arguments: refused before any tool runs", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const big = await mcpPost(agent.tokens.access_token, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "recent_drive_files", arguments: { account_id: "x".repeat(MAX_MCP_REQUEST_BYTES) } },
    });
    expect(big.status).toBe(413);
    const client = await mcpClient(agent.tokens.access_token);
    const long = await client.callTool({ name: "recent_drive_files", arguments: { account_id: "x".repeat(500) } });
    expect(long.isError).toBe(true);
    const many = await client.callTool({ name: "recent_drive_files", arguments: { count: 10_000 } });
    expect(many.isError).toBe(true);
    await client.close();
  });

  it("an agent hammering /mcp is rate-limited per client", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId] });
    const other = await authorizedAgent(alice.userId, { accountIds: [] });
    // Rate-limit windows are minutes of the database's clock: keep the burst in one.
    const [{ seconds }] = await stack.db().$queryRaw<
      [{ seconds: number }]
    >`SELECT extract(second FROM now())::float AS seconds`;
    if (seconds > 45) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await mcpPost(agent.tokens.access_token, toolsList)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(60);
    expect(statuses.at(-1)).toBe(429);
    expect((await mcpPost(other.tokens.access_token, toolsList)).status).toBe(200);
  });

  it("registration: a redirect_uri at a private address or plain http off loopback is refused", async () => {
    for (const uri of [
      "http://10.0.0.5/callback",
      "https://192.168.1.1/callback",
      "https://[fd00::1]/cb",
      "https://169.254.169.254/latest",
      "http://agent.example/callback",
      "javascript:alert(1)",
      "https://agent.example/cb#fragment",
    ]) {
      const body = JSON.stringify({ client_name: "x", redirect_uris: [uri] });
      const response = await handleRegistration(
        new Request(`${ORIGIN}/oauth/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": String(body.length) },
          body,
        }),
      );
      expect(response.status, uri).toBe(400);
    }
    expect(await stack.db().agentClient.count({ where: { name: "x" } })).toBe(0);
  });

  it("registrations are limited per minute for everyone together; past the limit nothing is stored", async () => {
    const register = (name: string) => {
      const body = JSON.stringify({ client_name: name, redirect_uris: ["http://127.0.0.1:9/callback"] });
      return handleRegistration(
        new Request(`${ORIGIN}/oauth/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "content-length": String(body.length) },
          body,
        }),
      );
    };
    // A fresh window of the database's clock, whatever the tests before this one registered.
    const [{ seconds }] = await stack.db().$queryRaw<
      [{ seconds: number }]
    >`SELECT extract(second FROM now())::float AS seconds`;
    if (seconds > 45) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    await stack.db().rateLimit.deleteMany({ where: { key: "agent_registration:anyone" } });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await register(`Flood ${i}`)).status);
    expect(statuses).toEqual(Array(30).fill(201));
    const refused = await register("Flood 30");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect(await stack.db().agentClient.count({ where: { name: "Flood 30" } })).toBe(0);
    await stack.db().rateLimit.deleteMany({ where: { key: "agent_registration:anyone" } });
  });

  it("a Client ID Metadata Document URL at a private address, or plain http off loopback, is never fetched", async () => {
    for (const url of [
      "https://10.1.2.3/client.json",
      "https://169.254.169.254/latest/meta-data",
      "http://agent.example/client.json",
      "https://localhost.localdomain.invalid:0/x",
      "https://agent.example/",
    ]) {
      const resolved = await resolveClient(url);
      expect(resolved.ok, url).toBe(false);
    }
  });
});

describe("Client ID Metadata Documents", () => {
  let server: Server;
  let base: string;
  let body = "";
  beforeAll(async () => {
    server = createServer((_request, response) =>
      response.writeHead(200, { "content-type": "application/json" }).end(body),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("a document served on loopback (outside production) names the agent; its client_id must be its own URL", async () => {
    const url = `${base}/agent-${randomBytes(4).toString("hex")}.json`;
    body = JSON.stringify({ client_id: url, client_name: "Local agent", redirect_uris: [REDIRECT_URI] });
    const resolved = await resolveClient(url);
    expect(resolved.ok && resolved.client).toMatchObject({ name: "Local agent", metadataUrl: url });

    const other = `${base}/other-${randomBytes(4).toString("hex")}.json`;
    body = JSON.stringify({ client_id: url, client_name: "Impostor", redirect_uris: [REDIRECT_URI] });
    expect((await resolveClient(other)).ok).toBe(false);

    const big = `${base}/big-${randomBytes(4).toString("hex")}.json`;
    body = JSON.stringify({ client_id: big, client_name: "x".repeat(20_000), redirect_uris: [REDIRECT_URI] });
    const tooBig = await resolveClient(big);
    expect(!tooBig.ok && tooBig.error.detail).toContain("bytes");
  });
});

describe("ending access with the account", () => {
  it("unlinking an account, or a provider revocation, takes it from every agent", async () => {
    const alice = await googleUserWithDrive("alice@example.com");
    const tokens = await authorizeGithub(stack.sandbox().url, { email: "alice@example.com" });
    await linkedUser(stack.db(), "github", tokens, alice.userId);
    const github = await stack.db().account.findFirstOrThrow({ where: { userId: alice.userId, provider: "github" } });
    const agent = await authorizedAgent(alice.userId, { accountIds: [alice.accountId, github.id] });

    const revoked = await stack.db().account.findUniqueOrThrow({ where: { id: alice.accountId } });
    await changeWithEvents((tx, record) =>
      markRevoked(tx, record, [revoked], "revoked_at_provider", "revoked at the provider"),
    );
    expect((await unlinkAccount(alice.userId, github.id)).ok).toBe(true);

    const [grant] = await listAgentGrants(alice.userId);
    expect(grant?.accounts).toEqual([]);
    const client = await mcpClient(agent.tokens.access_token);
    const error = (await client.callTool({ name: "recent_drive_files", arguments: {} }).catch((e) => e)) as McpError;
    expect(error.code).toBe(ErrorCode.UrlElicitationRequired);
    await client.close();
    const ended = await stack.db().connectionEvent.findMany({ where: { userId: alice.userId, type: "agent.revoked" } });
    expect(ended.map((event) => event.accountId).sort()).toEqual([alice.accountId, github.id].sort());
  });
});
