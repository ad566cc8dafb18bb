import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CLIENTS, SANDBOX_USERS, startSandbox, type Sandbox } from ".";
import {
  authorizeGithub,
  authorizeGoogle,
  control as rawControl,
  googleApi,
  googleAuthorizationCode,
  refreshGoogle,
  sandboxControl,
} from "./test-client";

const G = "https://www.googleapis.com/auth/";
const DRIVE = `${G}drive.readonly`;
const CALENDAR = `${G}calendar.readonly`;
const GMAIL = `${G}gmail.labels`;
const REDIRECT_URI = "http://localhost:4321/api/auth/callback/test";
const USERINFO_EMAIL = `${G}userinfo.email`;
const USERINFO_PROFILE = `${G}userinfo.profile`;
const GOOGLE_INVALID_GRANT = { error: "invalid_grant", error_description: "Token has been expired or revoked." };

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.close());
/** The sandbox's /control endpoints, typed. */
const control = () => sandboxControl(sandbox.url);

const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(body),
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

const googleClient = { client_id: SANDBOX_CLIENTS.google.id, client_secret: SANDBOX_CLIENTS.google.secret };
const githubAppClient = { client_id: SANDBOX_CLIENTS.githubApp.id, client_secret: SANDBOX_CLIENTS.githubApp.secret };

function refreshGithub(
  refreshToken: string,
  accept = "application/json",
  client: Record<string, string> = githubAppClient,
) {
  return fetch(
    `${sandbox.url}/github/login/oauth/access_token`,
    form({ grant_type: "refresh_token", refresh_token: refreshToken, ...client }, { accept }),
  );
}

function githubApi(path: string, token: string, scheme = "Bearer") {
  return fetch(`${sandbox.url}/github/api/v3${path}`, { headers: { authorization: `${scheme} ${token}` } });
}

const jwtClaims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

async function json<T = Record<string, unknown>>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/** Opens the Google authorization request and follows it to the account chooser. */
async function googleChooser(redirectUri = REDIRECT_URI): Promise<Response> {
  const params = new URLSearchParams({
    client_id: googleClient.client_id,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid email",
  });
  const start = await fetch(`${sandbox.url}/google/auth?${params}`, { redirect: "manual" });
  if (start.status !== 303) return start;
  const cookie = start.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  return fetch(new URL(start.headers.get("location")!, sandbox.url), { headers: { cookie } });
}

/** Posts the GitHub account chooser directly and returns the code from the redirect. */
async function githubCode(clientId: string, email: string, challenge?: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/github/login/oauth/authorize`, {
    ...form({
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: "read:user user:email",
      state: "st4te",
      email,
      ...(challenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {}),
    }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(location.origin + location.pathname).toBe(REDIRECT_URI);
  expect(location.searchParams.get("state")).toBe("st4te");
  return location.searchParams.get("code")!;
}

function exchangeGithub(params: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(
    `${sandbox.url}/github/login/oauth/access_token`,
    form({ redirect_uri: REDIRECT_URI, ...params }, headers),
  );
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe("sandbox server", () => {
  it("listens on 127.0.0.1 only", async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(sandbox.url).port);
    expect(await canConnect("127.0.0.1", port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address!.address);
    for (const host of ["::1", ...others]) expect(await canConnect(host, port), host).toBe(false);
  });

  it("main.ts prints one ready line and exits cleanly on SIGTERM", async () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("main.ts", import.meta.url))], {
      cwd: root,
      env: { ...process.env, SANDBOX_PORT: "0" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    let stdout = "";
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
        });
        void exited.then(() => reject(new Error(`main.ts exited early: ${stdout}`)));
      });
      expect(line).toMatch(/^sandbox ready at http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice("sandbox ready at ".length);
      expect((await fetch(`${url}/google/.well-known/openid-configuration`)).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stdout).toBe(`${line}\n`);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("answers 404 outside its routes, and never treats /google-apix as /google", async () => {
    expect((await fetch(`${sandbox.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/google-apix/drive/v3/files`)).status).toBe(404);
  });
});

describe("sandbox Google issuer", () => {
  it("advertises its endpoints under /google", async () => {
    const discovery = await json<Record<string, unknown>>(
      fetch(`${sandbox.url}/google/.well-known/openid-configuration`),
    );
    expect(discovery).toMatchObject({
      issuer: `${sandbox.url}/google`,
      authorization_endpoint: `${sandbox.url}/google/auth`,
      token_endpoint: `${sandbox.url}/google/token`,
      jwks_uri: `${sandbox.url}/google/jwks`,
      revocation_endpoint: `${sandbox.url}/google/revoke`,
      code_challenge_methods_supported: ["S256"],
    });
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "email", "profile", DRIVE, CALENDAR, GMAIL]),
    );
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_post", "client_secret_basic"]),
    );
  });

  it("shows a self-contained account chooser that says it is a sandbox", async () => {
    const page = await googleChooser();
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Sandbox Google — choose a test account</title>");
    expect(html).toMatch(/local sandbox/i);
    for (const user of SANDBOX_USERS) expect(html).toContain(`data-testid="sandbox-user-${user.email}"`);
    expect(html).toContain('data-testid="sandbox-email-input"');
    expect(html).toContain('data-testid="sandbox-email-submit"');
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("code flow with PKCE and access_type=offline: refresh token and an ID token with the email", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "alice@example.com" });
    // Google names the sign-in scopes in full in its token responses.
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: 3599,
      scope: `openid ${USERINFO_EMAIL} ${USERINFO_PROFILE}`,
    });
    expect(tokens.refresh_token).toBeTruthy();
    const claims = jwtClaims(tokens.id_token!);
    expect(claims).toMatchObject({
      iss: `${sandbox.url}/google`,
      aud: "sandbox-google",
      email: "alice@example.com",
      email_verified: true,
      name: "Alice Example",
    });
    expect(claims.sub).toMatch(/^\d+$/);
    expect(String(claims.picture)).toMatch(/^data:image\/svg\+xml/);

    const online = await authorizeGoogle(sandbox.url, { email: "alice@example.com", accessType: "online" });
    expect(online.refresh_token).toBeUndefined();
    const consent = await authorizeGoogle(sandbox.url, { email: "alice@example.com", prompt: "consent" });
    expect(consent.refresh_token).toBeTruthy();
  });

  it("re-authenticates on prompt=login and max_age=0, and says when in auth_time", async () => {
    for (const options of [{ prompt: "login" }, { maxAge: 0 }]) {
      const before = Math.floor(Date.now() / 1000);
      const tokens = await authorizeGoogle(sandbox.url, { email: "alice@example.com", ...options });
      const authTime = jwtClaims(tokens.id_token!).auth_time;
      expect(authTime, JSON.stringify(options)).toBeGreaterThanOrEqual(before - 1);
    }
  });

  it("refuses a wrong PKCE verifier and a reused code", async () => {
    const { code, verifier, redirectUri } = await googleAuthorizationCode(sandbox.url, { email: "alice@example.com" });
    const exchange = (codeVerifier: string) =>
      fetch(
        `${sandbox.url}/google/token`,
        form({
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
          ...googleClient,
        }),
      );
    const wrong = await exchange(randomBytes(32).toString("base64url"));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
    expect((await exchange(verifier)).status).toBe(200);
    const reused = await exchange(verifier);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("a typed email becomes a user with a stable id derived from the email", async () => {
    const first = jwtClaims((await authorizeGoogle(sandbox.url, { email: "New.Person@Example.com" })).id_token!);
    expect(first).toMatchObject({ email: "new.person@example.com", name: "New Person" });
    const again = jwtClaims((await authorizeGoogle(sandbox.url, { email: "new.person@example.com" })).id_token!);
    expect(again.sub).toBe(first.sub);
    const other = jwtClaims((await authorizeGoogle(sandbox.url, { email: "someone.else@example.com" })).id_token!);
    expect(other.sub).not.toBe(first.sub);

    const restarted = await startSandbox();
    try {
      const elsewhere = jwtClaims(
        (await authorizeGoogle(restarted.url, { email: "new.person@example.com" })).id_token!,
      );
      expect(elsewhere.sub).toBe(first.sub);
    } finally {
      await restarted.close();
    }
  });

  it("refreshes like Google: JSON without refresh_token, same scope, old refresh token keeps working", async () => {
    const first = await authorizeGoogle(sandbox.url, { email: "refresh@example.com", scope: `openid email ${DRIVE}` });
    for (const auth of ["post", "basic", "post"] as const) {
      const response = await refreshGoogle(sandbox.url, first.refresh_token!, { auth });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        token_type: "Bearer",
        expires_in: 3599,
        scope: `openid ${USERINFO_EMAIL} ${DRIVE}`,
      });
      expect(body).not.toHaveProperty("refresh_token");
      expect(jwtClaims(String(body.id_token))).toMatchObject({ email: "refresh@example.com" });
      expect((await googleApi(sandbox.url, "/drive/v3/files", String(body.access_token))).status).toBe(200);
    }
  });

  it("include_granted_scopes=true unions the grant's scopes; without it only the new scopes", async () => {
    await authorizeGoogle(sandbox.url, { email: "incremental@example.com", scope: `openid email ${DRIVE}` });
    const more = await authorizeGoogle(sandbox.url, {
      email: "incremental@example.com",
      scope: `openid ${CALENDAR}`,
      includeGrantedScopes: true,
    });
    expect(more.scope!.split(" ").sort()).toEqual(["openid", USERINFO_EMAIL, DRIVE, CALENDAR].sort());
    expect((await googleApi(sandbox.url, "/drive/v3/files", more.access_token)).status).toBe(200);
    expect((await googleApi(sandbox.url, "/calendar/v3/calendars/primary/events", more.access_token)).status).toBe(200);
    const refreshed = await json(refreshGoogle(sandbox.url, more.refresh_token!));
    expect(String(refreshed.scope).split(" ")).toEqual(expect.arrayContaining([DRIVE, CALENDAR]));

    const fresh = await authorizeGoogle(sandbox.url, { email: "incremental@example.com", scope: `openid ${GMAIL}` });
    expect(fresh.scope!.split(" ").sort()).toEqual(["openid", GMAIL].sort());
  });

  it("revokes like Google: no client auth, the whole grant dies, unknown token is invalid_token", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "revoke@example.com", scope: `openid ${DRIVE}` });
    const revoked = await fetch(`${sandbox.url}/google/revoke`, form({ token: tokens.access_token }));
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({});
    expect((await googleApi(sandbox.url, "/drive/v3/files", tokens.access_token)).status).toBe(401);
    const refresh = await refreshGoogle(sandbox.url, tokens.refresh_token!);
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toEqual(GOOGLE_INVALID_GRANT);

    const again = await fetch(`${sandbox.url}/google/revoke`, form({ token: tokens.refresh_token! }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_token" });

    const other = await authorizeGoogle(sandbox.url, { email: "revoke@example.com" });
    expect((await fetch(`${sandbox.url}/google/revoke`, form({ token: other.refresh_token! }))).status).toBe(200);
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", other.access_token)).status).toBe(401);
    expect((await json<{ revocations: unknown }>(fetch(`${sandbox.url}/control/stats`))).revocations).toEqual({
      google: 2,
      github: 0,
    });
  });

  it("answers an unknown refresh token with Google's invalid_grant", async () => {
    const response = await refreshGoogle(sandbox.url, "not-a-token");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(GOOGLE_INVALID_GRANT);
  });

  it("accepts any loopback redirect URI and refuses the rest", async () => {
    for (const uri of [
      "http://localhost:3000/cb",
      "http://127.0.0.1:49152/api/auth/callback/google",
      "http://[::1]:8080/cb",
    ]) {
      expect((await googleChooser(uri)).status, uri).toBe(200);
    }
    for (const uri of ["https://evil.example/callback", "http://localhost.evil.example/cb", "http://10.0.0.1/cb"]) {
      const response = await googleChooser(uri);
      expect(response.status, uri).toBe(400);
      expect(await response.text()).toMatch(/redirect_uri/);
    }
  });
});

describe("sandbox Google APIs", () => {
  it("serve each API with the right scope", async () => {
    const tokens = await authorizeGoogle(sandbox.url, {
      email: "bob@example.com",
      scope: `openid email profile ${G}drive.metadata.readonly ${CALENDAR} ${GMAIL}`,
    });
    const userinfo = await json(googleApi(sandbox.url, "/oauth2/v3/userinfo", tokens.access_token));
    expect(userinfo).toMatchObject({
      sub: jwtClaims(tokens.id_token!).sub,
      email: "bob@example.com",
      email_verified: true,
      name: "Bob Example",
    });

    const files = await json<{
      kind: string;
      files: { id: string; name: string; mimeType: string; modifiedTime: string }[];
    }>(googleApi(sandbox.url, "/drive/v3/files?pageSize=2", tokens.access_token));
    expect(files.kind).toBe("drive#fileList");
    expect(files.files).toHaveLength(2);
    expect(files.files[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      mimeType: expect.any(String),
      modifiedTime: expect.any(String),
    });

    const events = await json<{ kind: string; items: { start: { dateTime: string }; htmlLink: string }[] }>(
      googleApi(sandbox.url, "/calendar/v3/calendars/primary/events?maxResults=3", tokens.access_token),
    );
    expect(events.kind).toBe("calendar#events");
    expect(events.items).toHaveLength(3);
    for (const item of events.items) expect(Date.parse(item.start.dateTime)).toBeGreaterThan(Date.now());

    const labels = await json<{ labels: { id: string; name: string; type: string }[] }>(
      googleApi(sandbox.url, "/gmail/v1/users/me/labels", tokens.access_token),
    );
    expect(labels.labels).toContainEqual({ id: "INBOX", name: "INBOX", type: "system" });
  });

  it("answer 403 in Google's shape without the scope", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "api@example.com", scope: `openid email ${DRIVE}` });
    const labels = await googleApi(sandbox.url, "/gmail/v1/users/me/labels", tokens.access_token);
    expect(labels.status).toBe(403);
    expect(labels.headers.get("www-authenticate")).toBe(
      `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${GMAIL}"`,
    );
    expect(await labels.json()).toEqual({
      error: {
        code: 403,
        status: "PERMISSION_DENIED",
        message: "Request had insufficient authentication scopes.",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            domain: "googleapis.com",
          },
        ],
      },
    });
  });

  it("answer 401 without a token, with a foreign token, and after expire-tokens (refresh still works)", async () => {
    const expect401 = async (response: Response) => {
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(
        'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      );
      expect(await response.json()).toEqual({
        error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" },
      });
    };
    await expect401(await googleApi(sandbox.url, "/drive/v3/files"));
    const github = await authorizeGithub(sandbox.url, { email: "api@example.com" });
    await expect401(await googleApi(sandbox.url, "/drive/v3/files", github.access_token));

    const tokens = await authorizeGoogle(sandbox.url, { email: "api@example.com", scope: `openid email ${DRIVE}` });
    const bystander = await authorizeGoogle(sandbox.url, { email: "bystander@example.com", scope: `openid ${DRIVE}` });
    expect(await control().expireTokens({ provider: "google", email: "api@example.com" })).toEqual({ expired: 1 });
    await expect401(await googleApi(sandbox.url, "/drive/v3/files", tokens.access_token));
    expect((await googleApi(sandbox.url, "/drive/v3/files", bystander.access_token)).status).toBe(200);

    const refreshed = await json(refreshGoogle(sandbox.url, tokens.refresh_token!));
    expect((await googleApi(sandbox.url, "/drive/v3/files", String(refreshed.access_token))).status).toBe(200);
  });
});

describe("sandbox GitHub", () => {
  it("shows the account chooser and refuses unknown clients and non-loopback redirect URIs", async () => {
    const authorize = (params: Record<string, string>) =>
      fetch(
        `${sandbox.url}/github/login/oauth/authorize?${new URLSearchParams({ scope: "read:user", state: "s", ...params })}`,
      );
    const page = await authorize({ client_id: "sandbox-github", redirect_uri: REDIRECT_URI });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Sandbox GitHub — choose a test account</title>");
    for (const user of SANDBOX_USERS) expect(html).toContain(`data-testid="sandbox-user-${user.email}"`);
    expect(html).toContain('data-testid="sandbox-email-input"');
    expect(html).not.toMatch(/<script/i);

    expect((await authorize({ client_id: "sandbox-github", redirect_uri: "https://evil.example/cb" })).status).toBe(
      400,
    );
    expect((await authorize({ client_id: "nobody", redirect_uri: REDIRECT_URI })).status).toBe(404);
  });

  it("answers form-encoded by default and JSON with Accept: application/json", async () => {
    const code = await githubCode("sandbox-github", "alice@example.com");
    const response = await exchangeGithub({
      code,
      client_id: "sandbox-github",
      client_secret: "sandbox-github-secret",
    });
    expect(response.headers.get("content-type")).toMatch(/application\/x-www-form-urlencoded/);
    const answer = Object.fromEntries(new URLSearchParams(await response.text()));
    expect(answer).toEqual({
      access_token: expect.stringMatching(/^gho_/),
      scope: "read:user user:email",
      token_type: "bearer",
    });

    const second = await githubCode("sandbox-github", "alice@example.com");
    const jsonAnswer = await exchangeGithub(
      { code: second },
      { accept: "application/json", authorization: basic("sandbox-github", "sandbox-github-secret") },
    );
    expect(jsonAnswer.headers.get("content-type")).toMatch(/application\/json/);
    expect(await jsonAnswer.json()).toMatchObject({
      access_token: expect.stringMatching(/^gho_/),
      token_type: "bearer",
    });
  });

  it("reports errors with HTTP 200: bad code, PKCE mismatch, wrong redirect_uri, wrong client secret", async () => {
    const accept = { accept: "application/json" };
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const cases: [Record<string, string>, string][] = [
      [{ code: "nope", ...githubAppClient }, "bad_verification_code"],
      [
        {
          code: await githubCode("sandbox-github-app", "a@example.com", challenge),
          code_verifier: "wrong",
          ...githubAppClient,
        },
        "bad_verification_code",
      ],
      [
        { code: await githubCode("sandbox-github-app", "a@example.com", challenge), ...githubAppClient },
        "bad_verification_code",
      ],
      [
        {
          code: await githubCode("sandbox-github-app", "a@example.com"),
          ...githubAppClient,
          redirect_uri: "http://localhost:1/other",
        },
        "bad_verification_code",
      ],
      [
        { code: await githubCode("sandbox-github-app", "a@example.com"), ...githubAppClient, client_secret: "wrong" },
        "incorrect_client_credentials",
      ],
    ];
    for (const [params, error] of cases) {
      const response = await exchangeGithub(params, accept);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
    }
    const code = await githubCode("sandbox-github-app", "a@example.com", challenge);
    expect(await json(exchangeGithub({ code, code_verifier: verifier, ...githubAppClient }, accept))).toHaveProperty(
      "access_token",
    );
    expect(await json(exchangeGithub({ code, code_verifier: verifier, ...githubAppClient }, accept))).toMatchObject({
      error: "bad_verification_code",
    });

    const formError = await refreshGithub("ghr_unknown", "*/*");
    expect(formError.status).toBe(200);
    expect(new URLSearchParams(await formError.text()).get("error")).toBe("bad_refresh_token");
  });

  it("GitHub App: expiring tokens and a refresh token that rotates (the old one dies)", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "rotate@example.com" });
    expect(tokens).toMatchObject({ expires_in: 28800, refresh_token_expires_in: 15897600, token_type: "bearer" });
    const next = await json<Record<string, string>>(refreshGithub(tokens.refresh_token!));
    expect(next).toMatchObject({
      access_token: expect.stringMatching(/^ghu_/),
      expires_in: 28800,
      refresh_token: expect.stringMatching(/^ghr_/),
    });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(await json(refreshGithub(tokens.refresh_token!))).toMatchObject({ error: "bad_refresh_token" });
    expect((await githubApi("/user", next.access_token!)).status).toBe(200);

    await control().tokenTtl(60);
    expect(await json(refreshGithub(next.refresh_token!))).toMatchObject({ expires_in: 60 });
  });

  it("OAuth App: tokens never expire and come without a refresh token", async () => {
    await control().tokenTtl(1);
    const tokens = await authorizeGithub(sandbox.url, { email: "oauthapp@example.com", clientId: "sandbox-github" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await githubApi("/user", tokens.access_token)).status).toBe(200);
  });

  it("serves /user and /user/emails: private email hidden, unverified primary email", async () => {
    const bob = await authorizeGithub(sandbox.url, { email: "bob@example.com" });
    const bobUser = await json(githubApi("/user", bob.access_token, "token"));
    expect(bobUser).toEqual({
      id: expect.any(Number),
      login: "bob",
      name: "Bob Example",
      email: null,
      avatar_url: expect.any(String),
    });
    expect(await json(githubApi("/user/emails", bob.access_token))).toContainEqual({
      email: "bob@example.com",
      primary: true,
      verified: true,
      visibility: "private",
    });

    const alice = await authorizeGithub(sandbox.url, { email: "alice@example.com" });
    expect(await json(githubApi("/user", alice.access_token))).toMatchObject({
      email: "alice@example.com",
      name: "Alice Example",
    });

    const unverified = await authorizeGithub(sandbox.url, { email: "unverified@example.com" });
    const emails = await json<{ email: string; primary: boolean; verified: boolean }[]>(
      githubApi("/user/emails", unverified.access_token),
    );
    expect(emails.find((entry) => entry.primary)).toMatchObject({ email: "unverified@example.com", verified: false });

    const denied = await githubApi("/user", "gho_unknown");
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ message: "Bad credentials" });
    expect((await fetch(`${sandbox.url}/github/api/v3/user`)).status).toBe(401);
  });

  it("revokes with DELETE /applications/{client_id}/grant and /token", async () => {
    const revoke = (what: "grant" | "token", accessToken: string, secret = "sandbox-github-app-secret") =>
      fetch(`${sandbox.url}/github/api/v3/applications/sandbox-github-app/${what}`, {
        method: "DELETE",
        headers: { authorization: basic("sandbox-github-app", secret), "content-type": "application/json" },
        body: JSON.stringify({ access_token: accessToken }),
      });
    for (const what of ["grant", "token"] as const) {
      const tokens = await authorizeGithub(sandbox.url, { email: `${what}@example.com` });
      expect((await revoke(what, tokens.access_token, "wrong")).status).toBe(401);
      expect((await githubApi("/user", tokens.access_token)).status).toBe(200);
      expect((await revoke(what, tokens.access_token)).status).toBe(204);
      expect((await githubApi("/user", tokens.access_token)).status).toBe(401);
      expect(await json(refreshGithub(tokens.refresh_token!))).toMatchObject({ error: "bad_refresh_token" });
      expect((await revoke(what, tokens.access_token)).status).toBe(404);
    }
    expect((await json<{ revocations: unknown }>(fetch(`${sandbox.url}/control/stats`))).revocations).toEqual({
      google: 0,
      github: 2,
    });

    // GitHub wants a valid access token: an expired one is Not Found, and the grant stays.
    const expiring = await authorizeGithub(sandbox.url, { email: "expired-revoke@example.com" });
    await control().expireTokens({ provider: "github", email: "expired-revoke@example.com" });
    expect((await revoke("grant", expiring.access_token)).status).toBe(404);
    expect(await json(refreshGithub(expiring.refresh_token!))).toMatchObject({ access_token: expect.any(String) });
  });
});

describe("control endpoint", () => {
  it("Google refresh modes: error_500, invalid_grant, hang; and counts every refresh request", async () => {
    const google = await authorizeGoogle(sandbox.url, { email: "modes@example.com" });

    await control().refreshMode("google", "error_500");
    const failed = await refreshGoogle(sandbox.url, google.refresh_token!);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toHaveProperty("error");

    await control().refreshMode("google", "invalid_grant");
    const invalid = await refreshGoogle(sandbox.url, google.refresh_token!);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual(GOOGLE_INVALID_GRANT);

    await control().refreshMode("google", "hang");
    await expect(
      refreshGoogle(sandbox.url, google.refresh_token!, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow(/timeout|aborted/i);
    // authorization_code grants are unaffected by the refresh mode.
    const meanwhile = await authorizeGoogle(sandbox.url, { email: "modes@example.com" });
    expect(meanwhile.access_token).toBeTruthy();

    await control().refreshMode("google", "normal");
    expect((await refreshGoogle(sandbox.url, google.refresh_token!)).status).toBe(200); // the grant survived the faults
    expect(await json(fetch(`${sandbox.url}/control/stats`))).toEqual({
      refreshRequests: { google: 4, github: 0 },
      tokenRequests: { google: 6, github: 0 },
      revocations: { google: 0, github: 0 },
    });
  });

  it("slow mode answers normally after the delay it was given", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "slow@example.com" });
    expect(await control().refreshMode("github", "slow", { delayMs: 400 })).toMatchObject({ slowRefreshMs: 400 });
    const started = Date.now();
    expect(await json(refreshGithub(tokens.refresh_token!))).toHaveProperty("refresh_token");
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(
      (await rawControl(sandbox.url, "refresh-mode", { provider: "github", mode: "slow", delayMs: -1 })) as object,
    ).toHaveProperty("error");
  });

  it("close then reopen: refused meanwhile, same port and grants afterwards", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "outage@example.com" });
    await sandbox.close();
    await expect(refreshGoogle(sandbox.url, tokens.refresh_token!)).rejects.toThrow(/fetch failed/);
    await sandbox.reopen();
    expect((await refreshGoogle(sandbox.url, tokens.refresh_token!)).status).toBe(200);
  });

  it("GitHub refresh modes answer in GitHub's words", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "modes@example.com" });
    await control().refreshMode("github", "invalid_grant");
    const formAnswer = await refreshGithub(tokens.refresh_token!, "*/*");
    expect(formAnswer.status).toBe(200);
    expect(new URLSearchParams(await formAnswer.text()).get("error")).toBe("bad_refresh_token");

    await control().refreshMode("github", "error_500");
    expect((await refreshGithub(tokens.refresh_token!)).status).toBe(500);

    await control().refreshMode("github", "normal");
    expect(await json(refreshGithub(tokens.refresh_token!))).toHaveProperty("refresh_token");
    expect(await control().refreshRequests()).toEqual({ google: 0, github: 3 });
  });

  it("revoke ends one user's grants, or everyone's", async () => {
    const alice = await authorizeGoogle(sandbox.url, { email: "alice@example.com" });
    const bob = await authorizeGoogle(sandbox.url, { email: "bob@example.com" });
    const aliceGithub = await authorizeGithub(sandbox.url, { email: "alice@example.com" });
    const bobGithub = await authorizeGithub(sandbox.url, { email: "bob@example.com" });

    expect(await control().revoke({ provider: "google", email: "alice@example.com" })).toEqual({ revoked: 1 });
    expect(await json(refreshGoogle(sandbox.url, alice.refresh_token!))).toEqual(GOOGLE_INVALID_GRANT);
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", alice.access_token)).status).toBe(401);
    expect((await refreshGoogle(sandbox.url, bob.refresh_token!)).status).toBe(200);
    expect((await githubApi("/user", aliceGithub.access_token)).status).toBe(200);

    await control().revoke({ provider: "github" });
    for (const tokens of [aliceGithub, bobGithub]) {
      expect(await json(refreshGithub(tokens.refresh_token!))).toMatchObject({ error: "bad_refresh_token" });
      expect((await githubApi("/user", tokens.access_token)).status).toBe(401);
    }
  });

  it("expire-tokens without a provider expires access tokens of both, keeping refresh tokens", async () => {
    const google = await authorizeGoogle(sandbox.url, { email: "alice@example.com" });
    const github = await authorizeGithub(sandbox.url, { email: "alice@example.com" });
    await control().expireTokens();
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", google.access_token)).status).toBe(401);
    expect((await githubApi("/user", github.access_token)).status).toBe(401);
    expect((await refreshGoogle(sandbox.url, google.refresh_token!)).status).toBe(200);
    expect(await json(refreshGithub(github.refresh_token!))).toHaveProperty("access_token");
  });

  it("token-ttl changes new tokens' lifetime; reset restores defaults but keeps grants", async () => {
    await control().tokenTtl(30);
    const tokens = await authorizeGoogle(sandbox.url, { email: "ttl@example.com" });
    expect(tokens.expires_in).toBe(30);
    expect(await json(refreshGoogle(sandbox.url, tokens.refresh_token!))).toMatchObject({ expires_in: 30 });
    await control().refreshMode("google", "error_500");
    expect((await refreshGoogle(sandbox.url, tokens.refresh_token!)).status).toBe(500);

    expect(await control().reset()).toEqual({ ok: true });
    expect(await json(refreshGoogle(sandbox.url, tokens.refresh_token!))).toMatchObject({ expires_in: 3599 });
    expect(await json(fetch(`${sandbox.url}/control/stats`))).toEqual({
      refreshRequests: { google: 1, github: 0 },
      tokenRequests: { google: 1, github: 0 },
      revocations: { google: 0, github: 0 },
    });
  });

  it("rejects malformed control requests", async () => {
    const post = (action: string, body: unknown) =>
      fetch(`${sandbox.url}/control/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post("refresh-mode", { provider: "google", mode: "sideways" })).status).toBe(400);
    expect((await post("refresh-mode", { mode: "hang" })).status).toBe(400);
    expect((await post("revoke", { provider: "gitlab" })).status).toBe(400);
    expect((await post("token-ttl", { seconds: -5 })).status).toBe(400);
    expect((await post("nothing", {})).status).toBe(404);
  });

  it("closes promptly even with a request parked by the hang mode", async () => {
    const tokens = await authorizeGithub(sandbox.url, { email: "hang@example.com" });
    await control().refreshMode("github", "hang");
    const parked = refreshGithub(tokens.refresh_token!).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await control().refreshRequests()).toEqual({ google: 0, github: 1 });
    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await parked).toBeInstanceOf(Error);
  });
});
