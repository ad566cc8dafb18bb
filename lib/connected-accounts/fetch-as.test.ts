import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loggedLines } from "../../test/vitest/capture-logs";
import { googleUser } from "../../test/vitest/google-user";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { fetchAs } from "./fetch-as";

const METADATA = "https://www.googleapis.com/auth/drive.metadata.readonly";
const stack = sandboxAndDatabaseForThisFile();

// A provider API on 127.0.0.1 that answers what each test scripts, and notes the tokens it was sent.
type Answer = (response: ServerResponse) => void;
let answers: Answer[] = [];
let bearers: string[] = [];
let api: ReturnType<typeof createServer>;
let apiUrl = "";
beforeAll(async () => {
  api = createServer((request: IncomingMessage, response: ServerResponse) => {
    bearers.push(request.headers.authorization ?? "");
    const answer = answers.shift() ?? ((res: ServerResponse) => json(res, 200, { ok: true }));
    answer(response);
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));
beforeEach(() => {
  answers = [];
  bearers = [];
});

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

const as = (scopes: string[] = []) => ({ provider: "google" as const, scopes, feature: "Drive" });

describe("fetchAs", () => {
  it("attaches the token, answers the provider's response, and notes the use; the token is nowhere in the result or the log", async () => {
    const { userId, accountId, tokens } = await googleUser(stack, "fetch-as-ok@example.com");
    const result = await fetchAs(userId, as(), `${apiUrl}/files`);
    expect(result).toMatchObject({ ok: true, accountId });
    expect(result.ok && (await result.response.json())).toEqual({ ok: true });
    expect(bearers).toEqual([`Bearer ${tokens.access_token}`]);
    expect(await stack.db().account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      lastUsedFeature: "Drive",
      lastUsedAt: expect.any(Date),
    });
    expect(JSON.stringify(result)).not.toContain(tokens.access_token);
    expect(loggedLines().join("\n")).not.toContain(tokens.access_token);
  });

  it("notes a use once a minute: a second call within it sends the database nothing but the token's read", async () => {
    const { userId } = await googleUser(stack, "fetch-as-noted@example.com");
    expect(await fetchAs(userId, as(), `${apiUrl}/files`)).toMatchObject({ ok: true });
    const sent = vi.spyOn(pg.Client.prototype, "query");
    try {
      expect(await fetchAs(userId, as(), `${apiUrl}/files`)).toMatchObject({ ok: true });
      // adapter-pg sends each statement as a query config object.
      const statements = sent.mock.calls.map(([query]) => (query as unknown as pg.QueryConfig).text);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^\s*SELECT/);
    } finally {
      sent.mockRestore();
    }
  });

  it("a 401 refreshes once and retries once with the new token", async () => {
    const { userId, tokens } = await googleUser(stack, "fetch-as-401@example.com");
    answers = [(res) => json(res, 401, { error: { status: "UNAUTHENTICATED" } })];
    const result = await fetchAs(userId, as(), `${apiUrl}/files`);
    expect(result).toMatchObject({ ok: true });
    expect(await stack.control().refreshRequests()).toMatchObject({ google: 1 });
    expect(bearers).toHaveLength(2);
    expect(bearers[0]).toBe(`Bearer ${tokens.access_token}`);
    expect(bearers[1]).not.toBe(bearers[0]);
  });

  it("a second 401 is reconnect_required, and the call is no use of the account", async () => {
    const { userId, accountId } = await googleUser(stack, "fetch-as-401-twice@example.com");
    const unauthenticated: Answer = (res) => json(res, 401, {});
    answers = [unauthenticated, unauthenticated];
    const result = await fetchAs(userId, as(), `${apiUrl}/files`);
    expect(result).toMatchObject({ ok: false, error: { code: "reconnect_required", providerStatus: 401, accountId } });
    expect(bearers).toHaveLength(2);
    expect(await stack.db().account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({
      lastUsedAt: null,
    });
  });

  it("a 429 with a short Retry-After waits it out and retries once", async () => {
    const { userId } = await googleUser(stack, "fetch-as-429@example.com");
    answers = [(res) => json(res, 429, {}, { "retry-after": "1" })];
    const started = performance.now();
    expect(await fetchAs(userId, as(), `${apiUrl}/files`)).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(bearers).toHaveLength(2);
  });

  it("a 429 asking for longer than the cap is answered at once as provider_unavailable, with when to retry", async () => {
    const { userId } = await googleUser(stack, "fetch-as-429-long@example.com");
    const later = new Date(Date.now() + 120_000).toUTCString();
    answers = [(res) => json(res, 429, {}, { "retry-after": later })];
    const started = performance.now();
    const result = await fetchAs(userId, as(), `${apiUrl}/files`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, error: { code: "provider_unavailable", providerStatus: 429 } });
    expect(!result.ok && result.error.retryAfterSeconds).toBeGreaterThan(100);
    expect(bearers).toHaveLength(1);
  });

  it.each([
    [
      "WWW-Authenticate insufficient_scope",
      (res: ServerResponse) =>
        json(res, 403, {}, { "www-authenticate": 'Bearer realm="x", error="insufficient_scope", scope="s"' }),
    ],
    [
      "Google's ACCESS_TOKEN_SCOPE_INSUFFICIENT",
      (res: ServerResponse) =>
        json(res, 403, {
          error: { code: 403, status: "PERMISSION_DENIED", details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }] },
        }),
    ],
  ])("a 403 with %s is missing_scopes, and the record forgets the scope", async (_name, answer) => {
    const { userId, accountId } = await googleUser(stack, `fetch-as-403-${bearers.length}-${Date.now()}@example.com`);
    await stack.db().account.update({ where: { id: accountId }, data: { grantedScopes: { push: METADATA } } });
    answers = [answer];
    const result = await fetchAs(userId, as([METADATA]), `${apiUrl}/files`);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "missing_scopes", missingScopes: [METADATA], reconnectUrl: expect.any(String) },
    });
    const row = await stack.db().account.findUniqueOrThrow({ where: { id: accountId } });
    expect(row.grantedScopes).not.toContain(METADATA);
    expect(row.lastUsedAt).toBeNull();
  });

  it("another 403 or a 404 is the caller's to read; a 5xx or no answer is provider_unavailable", async () => {
    const { userId } = await googleUser(stack, "fetch-as-other@example.com");
    answers = [(res) => json(res, 403, { error: "forbidden" })];
    expect(await fetchAs(userId, as(), `${apiUrl}/files`)).toMatchObject({ ok: true, response: { status: 403 } });
    answers = [(res) => json(res, 503, {})];
    expect(await fetchAs(userId, as(), `${apiUrl}/files`)).toMatchObject({
      ok: false,
      error: { code: "provider_unavailable", providerStatus: 503 },
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await fetchAs(userId, as(), closedUrl)).toMatchObject({
      ok: false,
      error: { code: "provider_unavailable", providerStatus: 0 },
    });
  });

  it("a grant that does not cover the scopes fails before any call, with the link that grants them", async () => {
    const { userId } = await googleUser(stack, "fetch-as-unscoped@example.com");
    const result = await fetchAs(userId, as([METADATA]), `${apiUrl}/files`);
    expect(result).toMatchObject({ ok: false, error: { code: "missing_scopes", missingScopes: [METADATA] } });
    expect(!result.ok && result.error.providerStatus).toBeUndefined();
    expect(bearers).toEqual([]);
  });
});
