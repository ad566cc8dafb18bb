import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CLIENTS, startSandbox, type Sandbox } from ".";
import { authorizeOidc, oidcAuthorizationRedirect, sandboxControl, type TokenAnswer } from "./test-client";

const DANA = "dana@issuer.example";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.close());
const control = () => sandboxControl(sandbox.url);
const basic = `Basic ${Buffer.from(`${SANDBOX_CLIENTS.oidc.id}:${SANDBOX_CLIENTS.oidc.secret}`).toString("base64")}`;

function post(path: string, body: Record<string, string>) {
  return fetch(`${sandbox.url}/oidc${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
    body: new URLSearchParams(body),
  });
}
const refresh = (token: string) => post("/token", { grant_type: "refresh_token", refresh_token: token });
const discovery = () => fetch(`${sandbox.url}/oidc/.well-known/openid-configuration`);

const jwtClaims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("sandbox generic OpenID Connect issuer", () => {
  it("publishes discovery with RFC 9207, RFC 7009 revocation and S256 PKCE", async () => {
    expect(await (await discovery()).json()).toMatchObject({
      issuer: `${sandbox.url}/oidc`,
      authorization_endpoint: `${sandbox.url}/oidc/auth`,
      token_endpoint: `${sandbox.url}/oidc/token`,
      revocation_endpoint: `${sandbox.url}/oidc/token/revocation`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ["S256"],
    });
  });

  it("runs the code flow with PKCE through the login page, with iss in the authorization response", async () => {
    const { location } = await oidcAuthorizationRedirect(sandbox.url, { email: DANA });
    expect(location.searchParams.get("iss")).toBe(`${sandbox.url}/oidc`);
    expect(location.searchParams.get("state")).toBe("s");
    expect(location.searchParams.get("code")).toBeTruthy();
    const tokens = await authorizeOidc(sandbox.url, { email: DANA });
    expect(tokens.refresh_token).toBeTruthy();
    expect(jwtClaims(tokens.id_token!)).toMatchObject({
      iss: `${sandbox.url}/oidc`,
      aud: SANDBOX_CLIENTS.oidc.id,
      email: DANA,
      email_verified: true,
      name: "Dana Issuer",
    });
  });

  it("requires PKCE", async () => {
    const params = new URLSearchParams({
      client_id: SANDBOX_CLIENTS.oidc.id,
      redirect_uri: "http://127.0.0.1:3999/cb",
      response_type: "code",
      scope: "openid",
      state: "s",
    });
    const response = await fetch(`${sandbox.url}/oidc/auth?${params}`, { redirect: "manual" });
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("invalid_request");
  });

  it("rotates refresh tokens by default: the old one is then refused", async () => {
    const { refresh_token: first } = await authorizeOidc(sandbox.url, { email: DANA });
    const renewed = (await (await refresh(first!)).json()) as TokenAnswer;
    expect(renewed.refresh_token).toBeTruthy();
    expect(renewed.refresh_token).not.toBe(first);
    expect(((await (await refresh(first!)).json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("keeps the refresh token when rotation is switched off", async () => {
    await control().oidcRefreshRotation(false);
    const { refresh_token: token } = await authorizeOidc(sandbox.url, { email: DANA });
    for (let i = 0; i < 2; i += 1) {
      const answer = (await (await refresh(token!)).json()) as TokenAnswer;
      expect(answer.access_token).toBeTruthy();
      expect(answer.refresh_token ?? token).toBe(token);
    }
  });

  it("revokes a refresh token through RFC 7009", async () => {
    const { refresh_token: token } = await authorizeOidc(sandbox.url, { email: DANA });
    const revoked = await post("/token/revocation", { token: token!, token_type_hint: "refresh_token" });
    expect(revoked.status).toBe(200);
    expect(((await (await refresh(token!)).json()) as { error: string }).error).toBe("invalid_grant");
    expect((await control().issuerStats()).oidc.revocations).toBe(1);
  });

  it("answers refresh modes: invalid_grant and error_500", async () => {
    const { refresh_token: token } = await authorizeOidc(sandbox.url, { email: DANA });
    await control().refreshMode("oidc", "invalid_grant");
    const refused = await refresh(token!);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
    await control().refreshMode("oidc", "error_500");
    expect((await refresh(token!)).status).toBe(500);
  });

  it("can publish a discovery document naming another issuer, and be down (503)", async () => {
    await control().oidcDiscovery("issuer_mismatch");
    const mismatched = (await (await discovery()).json()) as { issuer: string };
    expect(mismatched.issuer).not.toBe(`${sandbox.url}/oidc`);
    await control().oidcDiscovery("down");
    expect((await discovery()).status).toBe(503);
    await control().oidcDiscovery("normal");
    expect(((await (await discovery()).json()) as { issuer: string }).issuer).toBe(`${sandbox.url}/oidc`);
    await control().oidcDiscovery("down");
    await control().reset();
    expect((await discovery()).status).toBe(200);
  });
});

describe("sandbox generic issuer controls", () => {
  it("refuses an unknown discovery mode or rotation value", async () => {
    for (const [action, body] of [
      ["oidc-discovery", { mode: "sideways" }],
      ["oidc-refresh-rotation", { rotate: "sometimes" }],
    ] as const) {
      const response = await fetch(`${sandbox.url}/control/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
  });
});
