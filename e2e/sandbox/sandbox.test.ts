import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from ".";
import { authorizeGithub, authorizeGoogle, control, refreshStats } from "./test-client";

const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const form = (body: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(body),
});

function refreshGoogle(refreshToken: string) {
  return fetch(
    `${sandbox.url}/google/token`,
    form({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "sandbox-google", client_secret: "sandbox-google-secret" }),
  );
}

function refreshGithub(refreshToken: string, accept = "application/json") {
  return fetch(`${sandbox.url}/github/login/oauth/access_token`, {
    ...form({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: "sandbox-github-app", client_secret: "sandbox-github-app-secret" }),
    headers: { "content-type": "application/x-www-form-urlencoded", accept },
  });
}

function googleApi(path: string, token: string) {
  return fetch(`${sandbox.url}/google-api${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe("sandbox Google", () => {
  it("binds to 127.0.0.1 and advertises endpoints under /google", async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = (await (await fetch(`${sandbox.url}/google/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(`${sandbox.url}/google`);
    expect(discovery.token_endpoint).toBe(`${sandbox.url}/google/token`);
  });

  it("issues a refresh token only with access_type=offline, and an ID token with the email", async () => {
    const offline = await authorizeGoogle(sandbox.url, { email: "alice@example.com" });
    expect(offline.refresh_token).toBeTruthy();
    const claims = JSON.parse(Buffer.from(offline.id_token!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ email: "alice@example.com", email_verified: true, name: "Alice Example" });
    const online = await authorizeGoogle(sandbox.url, { email: "alice@example.com", accessType: "online" });
    expect(online.refresh_token).toBeUndefined();
  });

  it("refreshes like Google: no new refresh token, same scopes, old refresh token keeps working", async () => {
    const first = await authorizeGoogle(sandbox.url, { email: "refresh@example.com", scope: `openid email ${DRIVE}` });
    for (let round = 0; round < 2; round += 1) {
      const response = await refreshGoogle(first.refresh_token!);
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(200);
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
      expect(body).not.toHaveProperty("refresh_token");
      expect(String(body.scope).split(" ")).toContain(DRIVE);
    }
  });

  it("include_granted_scopes=true adds to the grant; the new token has old and new scopes", async () => {
    await authorizeGoogle(sandbox.url, { email: "incremental@example.com", scope: `openid email ${DRIVE}` });
    const more = await authorizeGoogle(sandbox.url, {
      email: "incremental@example.com",
      scope: `openid ${CALENDAR}`,
      includeGrantedScopes: true,
    });
    expect(more.scope!.split(" ")).toEqual(expect.arrayContaining(["openid", "email", DRIVE, CALENDAR]));
    expect((await googleApi("/drive/v3/files", more.access_token)).status).toBe(200);
    expect((await googleApi("/calendar/v3/calendars/primary/events", more.access_token)).status).toBe(200);
  });

  it("revokes like Google, after which the refresh answers invalid_grant", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "revoke@example.com" });
    const revoked = await fetch(`${sandbox.url}/google/revoke`, form({ token: tokens.refresh_token! }));
    expect(revoked.status).toBe(200);
    const refresh = await refreshGoogle(tokens.refresh_token!);
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toEqual({ error: "invalid_grant", error_description: "Token has been expired or revoked." });
    const again = await fetch(`${sandbox.url}/google/revoke`, form({ token: tokens.refresh_token! }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_token" });
  });

  it("refuses a redirect URI that is not on loopback", async () => {
    const response = await fetch(
      `${sandbox.url}/google/auth?${new URLSearchParams({
        client_id: "sandbox-google",
        redirect_uri: "https://evil.example/callback",
        response_type: "code",
        scope: "openid",
      })}`,
      { redirect: "manual" },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/redirect_uri/);
  });
});

describe("sandbox Google APIs", () => {
  it("serve data for the right scope, 403 in Google's shape without it, 401 once expired", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "api@example.com", scope: `openid email ${DRIVE}` });
    const files = await googleApi("/drive/v3/files?pageSize=2", tokens.access_token);
    expect(files.status).toBe(200);
    expect(((await files.json()) as { files: unknown[] }).files).toHaveLength(2);

    const labels = await googleApi("/gmail/v1/users/me/labels", tokens.access_token);
    expect(labels.status).toBe(403);
    expect(labels.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
    expect(await labels.json()).toMatchObject({
      error: { code: 403, status: "PERMISSION_DENIED", details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }] },
    });

    expect(await control(sandbox.url, "expire-tokens", { provider: "google", email: "api@example.com" })).toMatchObject({
      expired: expect.any(Number),
    });
    const expired = await googleApi("/oauth2/v3/userinfo", tokens.access_token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { status: "UNAUTHENTICATED" } });
    expect((await refreshGoogle(tokens.refresh_token!)).status).toBe(200); // refresh token untouched
  });
});

describe("sandbox GitHub", () => {
  it("answers form-encoded unless asked for JSON, and reports errors with HTTP 200", async () => {
    const form = await refreshGithub("ghr_unknown", "*/*");
    expect(form.status).toBe(200);
    expect(form.headers.get("content-type")).toMatch(/x-www-form-urlencoded/);
    expect(new URLSearchParams(await form.text()).get("error")).toBe("bad_refresh_token");
    const json = await refreshGithub("ghr_unknown");
    expect(await json.json()).toMatchObject({ error: "bad_refresh_token" });
  });

  it("GitHub App tokens expire and their refresh token rotates: the old one dies", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "rotate@example.com" });
    expect(tokens).toMatchObject({ expires_in: 28800, refresh_token_expires_in: 15897600 });
    const next = (await (await refreshGithub(tokens.refresh_token!)).json()) as Record<string, string>;
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(await (await refreshGithub(tokens.refresh_token!)).json()).toMatchObject({ error: "bad_refresh_token" });
    expect(await (await refreshGithub(next.refresh_token!)).json()).toHaveProperty("access_token");
  });

  it("OAuth App tokens never expire and come without a refresh token", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "oauthapp@example.com", clientId: "sandbox-github" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBeUndefined();
  });

  it("serves /user (private email hidden) and /user/emails, and revokes a grant", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "bob@example.com" });
    const headers = { authorization: `token ${tokens.access_token}` };
    const user = (await (await fetch(`${sandbox.url}/github/api/v3/user`, { headers })).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ email: null, name: "Bob Example", id: expect.any(Number) });
    const emails = await (await fetch(`${sandbox.url}/github/api/v3/user/emails`, { headers })).json();
    expect(emails).toContainEqual({ email: "bob@example.com", primary: true, verified: true, visibility: "private" });

    const revoke = (auth: string) =>
      fetch(`${sandbox.url}/github/api/v3/applications/sandbox-github-app/grant`, {
        method: "DELETE",
        headers: { authorization: `Basic ${Buffer.from(auth).toString("base64")}`, "content-type": "application/json" },
        body: JSON.stringify({ access_token: tokens.access_token }),
      });
    expect((await revoke("sandbox-github-app:wrong")).status).toBe(401);
    expect((await revoke("sandbox-github-app:sandbox-github-app-secret")).status).toBe(204);
    expect((await fetch(`${sandbox.url}/github/api/v3/user`, { headers })).status).toBe(401);
    expect(await (await refreshGithub(tokens.refresh_token!)).json()).toMatchObject({ error: "bad_refresh_token" });
  });
});

describe("control endpoint", () => {
  it("switches refresh modes and counts refresh requests", async () => {
    await control(sandbox.url, "reset");
    const google = await authorizeGoogle(sandbox.url, { email: "modes@example.com" });

    await control(sandbox.url, "refresh-mode", { provider: "google", mode: "error_500" });
    expect((await refreshGoogle(google.refresh_token!)).status).toBe(500);

    await control(sandbox.url, "refresh-mode", { provider: "google", mode: "invalid_grant" });
    expect(await (await refreshGoogle(google.refresh_token!)).json()).toMatchObject({ error: "invalid_grant" });

    await control(sandbox.url, "refresh-mode", { provider: "google", mode: "hang" });
    await expect(
      fetch(`${sandbox.url}/google/token`, {
        ...form({ grant_type: "refresh_token", refresh_token: google.refresh_token!, client_id: "sandbox-google", client_secret: "sandbox-google-secret" }),
        signal: AbortSignal.timeout(500),
      }),
    ).rejects.toThrow(/timeout|aborted/i);

    await control(sandbox.url, "refresh-mode", { provider: "google", mode: "normal" });
    expect((await refreshGoogle(google.refresh_token!)).status).toBe(200); // the grant survived the faults
    expect(await refreshStats(sandbox.url)).toEqual({ google: 4, github: 0 });
  });

  it("sets the access-token lifetime and revokes a user's grants", async () => {
    await control(sandbox.url, "token-ttl", { seconds: 30 });
    const tokens = await authorizeGoogle(sandbox.url, { email: "ttl@example.com" });
    expect(tokens.expires_in).toBe(30);
    await control(sandbox.url, "reset");

    expect(await control(sandbox.url, "revoke", { provider: "google", email: "ttl@example.com" })).toMatchObject({ revoked: 1 });
    expect((await refreshGoogle(tokens.refresh_token!)).status).toBe(400);
  });

  it("closes promptly even with a request parked by the hang mode", async () => {
    const other = await startSandbox();
    const tokens = await authorizeGithub(other.url, { email: "hang@example.com" });
    await control(other.url, "refresh-mode", { provider: "github", mode: "hang" });
    const parked = fetch(`${other.url}/github/login/oauth/access_token`, form({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! })).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await parked).toBeInstanceOf(Error);
  });
});
