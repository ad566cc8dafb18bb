import { createPublicKey, verify } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MICROSOFT_TENANTS, SANDBOX_CLIENTS, startSandbox, type Sandbox } from ".";
import { authorizeMicrosoft, microsoftAuthorizationCode, sandboxControl, type TokenAnswer } from "./test-client";

const ADA = "ada@contoso.example"; // tenant A, xms_edov true
const BEN = "ben@fabrikam.example"; // tenant B, xms_edov false
const ALICE = "alice@example.com"; // personal account, no xms_edov
const PERSONAL_TID = "9188040d-6c67-4c5b-b112-36a304b66dad";
const CP1 = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
const FULL_SCOPE = "openid profile email offline_access User.Read https://graph.microsoft.com/Files.Read";

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.close());
const control = () => sandboxControl(sandbox.url);
const client = SANDBOX_CLIENTS.microsoft;

async function json<T = Record<string, unknown>>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

const discovery = (tenant: string) =>
  json(fetch(`${sandbox.url}/microsoft/${tenant}/v2.0/.well-known/openid-configuration`));

function refresh(refreshToken: string, extra: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${sandbox.url}/microsoft/common/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: client.id,
      client_secret: client.secret,
      ...extra,
    }),
    signal,
  });
}

function graph(path: string, token?: string) {
  return fetch(`${sandbox.url}/microsoft-graph/v1.0${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** The ID token's claims, after checking its RS256 signature against the tenant's published keys. */
async function verifiedClaims(idToken: string, tenant = "common"): Promise<Record<string, unknown>> {
  const { jwks_uri: jwksUri } = await discovery(tenant);
  const { keys } = await json<{ keys: Record<string, unknown>[] }>(fetch(String(jwksUri)));
  const [header, payload, signature] = idToken.split(".") as [string, string, string];
  const kid = (JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string }).kid;
  const key = createPublicKey({ key: keys.find((candidate) => candidate.kid === kid)!, format: "jwk" });
  expect(verify("sha256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"))).toBe(true);
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
}

/** Entra's error body, and the AADSTS code leading its description. */
function expectAadError(body: Record<string, unknown>, error: string, code: number): void {
  expect(body).toMatchObject({ error, error_codes: [code] });
  expect(String(body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(String(body.error_description)).toContain(`\r\nTrace ID: ${String(body.trace_id)}\r\n`);
}

describe("sandbox Microsoft Entra ID: discovery", () => {
  it.each(["common", "organizations", "consumers"])(
    "%s publishes the templated issuer {tenantid}, and no revocation endpoint",
    async (tenant) => {
      const document = await discovery(tenant);
      expect(document).toMatchObject({
        issuer: `${sandbox.url}/microsoft/{tenantid}/v2.0`,
        authorization_endpoint: `${sandbox.url}/microsoft/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${sandbox.url}/microsoft/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${sandbox.url}/microsoft/${tenant}/discovery/v2.0/keys`,
      });
      expect(document).not.toHaveProperty("revocation_endpoint");
    },
  );

  it("a tenant's own endpoint publishes its own issuer; an unknown tenant is AADSTS90002", async () => {
    expect((await discovery(MICROSOFT_TENANTS.contoso)).issuer).toBe(
      `${sandbox.url}/microsoft/${MICROSOFT_TENANTS.contoso}/v2.0`,
    );
    const unknown = await fetch(`${sandbox.url}/microsoft/no-such-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expectAadError((await unknown.json()) as Record<string, unknown>, "invalid_tenant", 90002);
  });
});

describe("sandbox Microsoft Entra ID: sign-in", () => {
  it("runs the code flow with PKCE through the login page; the ID token names the user's tenant as issuer", async () => {
    const tokens = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE, nonce: "n-1" });
    const claims = await verifiedClaims(tokens.id_token!);
    const { issuer } = await discovery("common");
    // The substitution a client must make: the template with the token's tid is exactly its iss.
    expect(String(issuer).replace("{tenantid}", String(claims.tid))).toBe(claims.iss);
    expect(claims).toMatchObject({
      aud: client.id,
      iss: `${sandbox.url}/microsoft/${MICROSOFT_TENANTS.contoso}/v2.0`,
      tid: MICROSOFT_TENANTS.contoso,
      email: ADA,
      preferred_username: ADA,
      name: "Ada Contoso",
      nonce: "n-1",
      ver: "2.0",
      xms_edov: true,
    });
    expect(claims.oid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof claims.sub).toBe("string");
  });

  it("gives xms_edov per user: false for Ben, absent for a personal account with tid 9188040d-…", async () => {
    const ben = await verifiedClaims((await authorizeMicrosoft(sandbox.url, { email: BEN })).id_token!);
    expect(ben).toMatchObject({ tid: MICROSOFT_TENANTS.fabrikam, xms_edov: false });
    const alice = await verifiedClaims((await authorizeMicrosoft(sandbox.url, { email: ALICE })).id_token!);
    expect(alice.tid).toBe(PERSONAL_TID);
    expect(alice.iss).toBe(`${sandbox.url}/microsoft/${PERSONAL_TID}/v2.0`);
    expect(alice).not.toHaveProperty("xms_edov");
  });

  it.each([
    ["organizations", ADA, true],
    ["organizations", BEN, true],
    ["organizations", ALICE, false],
    ["consumers", ALICE, true],
    ["consumers", ADA, false],
    [MICROSOFT_TENANTS.contoso, ADA, true],
    [MICROSOFT_TENANTS.contoso, BEN, false],
    ["common", BEN, true],
    ["common", ALICE, true],
  ])("the %s endpoint admits %s: %s", async (tenant, email, admitted) => {
    const result = await microsoftAuthorizationCode(sandbox.url, { email, tenant });
    if (admitted) expect(result).toHaveProperty("code");
    else expect(result).toEqual({ refused: expect.stringMatching(/^AADSTS50020: /) as unknown });
  });

  it("offers on the login page only the accounts the tenant admits", async () => {
    const page = (tenant: string) =>
      fetch(
        `${sandbox.url}/microsoft/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
          client_id: client.id,
          redirect_uri: "http://127.0.0.1:3999/cb",
          response_type: "code",
          scope: "openid",
        })}`,
      ).then((response) => response.text());
    const consumers = await page("consumers");
    expect(consumers).toContain(`sandbox-user-${ALICE}`);
    expect(consumers).not.toContain(`sandbox-user-${ADA}`);
    const organizations = await page("organizations");
    expect(organizations).toContain(`sandbox-user-${ADA}`);
    expect(organizations).not.toContain(`sandbox-user-${ALICE}`);
  });

  it("refuses a wrong PKCE verifier (AADSTS501481) and a code used twice (AADSTS54005)", async () => {
    const exchange = (code: string, verifier: string) =>
      fetch(`${sandbox.url}/microsoft/common/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          code_verifier: verifier,
          redirect_uri: "http://127.0.0.1:3999/api/auth/callback/test",
          client_id: client.id,
          client_secret: client.secret,
        }),
      });
    const first = await microsoftAuthorizationCode(sandbox.url, { email: ADA });
    if (!("code" in first)) throw new Error("refused");
    const wrong = await exchange(first.code, "not-the-verifier-at-all-not-the-verifier-at-all");
    expect(wrong.status).toBe(400);
    expectAadError((await wrong.json()) as Record<string, unknown>, "invalid_grant", 501481);

    const second = await microsoftAuthorizationCode(sandbox.url, { email: ADA });
    if (!("code" in second)) throw new Error("refused");
    expect((await exchange(second.code, second.verifier)).status).toBe(200);
    const again = await exchange(second.code, second.verifier);
    expectAadError((await again.json()) as Record<string, unknown>, "invalid_grant", 54005);
  });
});

describe("sandbox Microsoft Entra ID: scopes and refresh tokens", () => {
  it("gives a refresh token only with offline_access, and never echoes offline_access", async () => {
    const offline = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    expect(offline.refresh_token).toBeTruthy();
    expect(offline.scope!.split(" ")).not.toContain("offline_access");
    const online = await authorizeMicrosoft(sandbox.url, { email: BEN, scope: "openid profile email User.Read" });
    expect(online).not.toHaveProperty("refresh_token");
  });

  it("answers Graph scopes in Graph's names, with every scope the user consented to so far", async () => {
    const first = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    expect(first.scope!.split(" ").sort()).toEqual(["Files.Read", "User.Read", "email", "openid", "profile"]);
    const more = await authorizeMicrosoft(sandbox.url, {
      email: ADA,
      scope: "openid offline_access https://graph.microsoft.com/Calendars.Read",
    });
    expect(more.scope!.split(" ").sort()).toEqual(["Calendars.Read", "Files.Read", "User.Read", "openid"]);
  });

  it("rotates the refresh token on every refresh without revoking the old one", async () => {
    const { refresh_token: first } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    const renewed = await json<TokenAnswer>(refresh(first!));
    expect(renewed.access_token).toBeTruthy();
    expect(renewed.refresh_token).toBeTruthy();
    expect(renewed.refresh_token).not.toBe(first);
    expect(renewed.scope!.split(" ")).not.toContain("offline_access");
    // The old one still works, and so does the new.
    expect((await refresh(first!)).status).toBe(200);
    expect((await refresh(renewed.refresh_token!)).status).toBe(200);
    expect((await control().issuerStats()).microsoft.refreshRequests).toBe(3);
  });

  it("ends refresh tokens unused for 90 days (AADSTS700082): by the control, or by the clock; use slides the 90 days", async () => {
    const { refresh_token: token } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    await control().advanceClock(89 * 24 * 3600);
    expect((await refresh(token!)).status).toBe(200); // used on day 89: another 90 days from here
    await control().advanceClock(89 * 24 * 3600);
    expect((await refresh(token!)).status).toBe(200);
    await control().advanceClock(91 * 24 * 3600);
    expectAadError(await json(refresh(token!)), "invalid_grant", 700082);

    const { refresh_token: other } = await authorizeMicrosoft(sandbox.url, { email: BEN, scope: FULL_SCOPE });
    expect(await control().expireMicrosoftRefreshTokens(BEN)).toEqual({ expired: 1 });
    expectAadError(await json(refresh(other!)), "invalid_grant", 700082);
  });

  it("a revoked grant refuses every refresh token of it, old and new (AADSTS50173)", async () => {
    const { refresh_token: first } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    const renewed = await json<TokenAnswer>(refresh(first!));
    expect(await control().revoke({ provider: "microsoft", email: ADA })).toEqual({ revoked: 1 });
    expectAadError(await json(refresh(first!)), "invalid_grant", 50173);
    expectAadError(await json(refresh(renewed.refresh_token!)), "invalid_grant", 50173);
  });

  it("asks for consent (AADSTS65001) when a refresh asks for a scope never consented to", async () => {
    const { refresh_token: token } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    const response = await refresh(token!, { scope: "https://graph.microsoft.com/Calendars.Read offline_access" });
    expect(response.status).toBe(400);
    const body = await json(response);
    expectAadError(body, "invalid_grant", 65001);
    expect(body.suberror).toBe("consent_required");
  });
});

describe("sandbox Microsoft Entra ID: refresh modes", () => {
  it.each([
    ["AADSTS65001", "invalid_grant", 65001],
    ["AADSTS50173", "invalid_grant", 50173],
    ["AADSTS700082", "invalid_grant", 700082],
    ["AADSTS70008", "invalid_grant", 70008],
    ["AADSTS50076", "interaction_required", 50076],
    ["AADSTS50079", "interaction_required", 50079],
    ["AADSTS7000112", "unauthorized_client", 7000112],
    ["invalid_grant", "invalid_grant", 50173],
  ] as const)("%s answers %s in Entra's error shape", async (mode, error, code) => {
    const { refresh_token: token } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    await control().refreshMode("microsoft", mode);
    const response = await refresh(token!);
    expect(response.status).toBe(400);
    expectAadError(await json(response), error, code);
  });

  it("answers 500 in error_500, and never in hang until the mode changes", async () => {
    const { refresh_token: token } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    await control().refreshMode("microsoft", "error_500");
    expect((await refresh(token!)).status).toBe(500);
    await control().refreshMode("microsoft", "hang");
    await expect(refresh(token!, {}, AbortSignal.timeout(300))).rejects.toThrow();
    await control().refreshMode("microsoft", "normal");
    expect((await refresh(token!)).status).toBe(200);
  });

  it("keeps each provider's refusals to that provider", async () => {
    await expect(control().refreshMode("google", "AADSTS65001")).rejects.toThrow(/provider must be microsoft/);
    await expect(control().refreshMode("microsoft", "invalid_rapt")).rejects.toThrow(/provider must be google/);
  });
});

describe("sandbox Microsoft Graph", () => {
  it("serves /me, /me/drive/recent and /me/events to a token with their scopes", async () => {
    const { access_token: token } = await authorizeMicrosoft(sandbox.url, {
      email: ADA,
      scope: `${FULL_SCOPE} Calendars.Read`,
    });
    expect(await json(graph("/me", token))).toMatchObject({
      displayName: "Ada Contoso",
      mail: ADA,
      userPrincipalName: ADA,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    });
    const recent = await json<{ value: Record<string, unknown>[] }>(graph("/me/drive/recent?$top=2", token));
    expect(recent.value).toHaveLength(2);
    expect(recent.value[0]).toMatchObject({
      name: expect.any(String) as unknown,
      webUrl: expect.any(String) as unknown,
      lastModifiedDateTime: expect.any(String) as unknown,
      file: { mimeType: expect.any(String) as unknown },
    });
    const events = await json<{ value: Record<string, unknown>[] }>(graph("/me/events", token));
    expect(events.value[0]).toMatchObject({
      subject: expect.any(String) as unknown,
      start: { dateTime: expect.any(String) as unknown, timeZone: "UTC" },
      end: { dateTime: expect.any(String) as unknown, timeZone: "UTC" },
    });
  });

  it("answers 403 in Graph's error body when the token lacks the scope", async () => {
    const { access_token: token } = await authorizeMicrosoft(sandbox.url, {
      email: ADA,
      scope: "openid profile offline_access User.Read",
    });
    for (const [path, code] of [
      ["/me/drive/recent", "accessDenied"],
      ["/me/events", "ErrorAccessDenied"],
    ]) {
      const response = await graph(path!, token);
      expect(response.status).toBe(403);
      const body = await json<{ error: Record<string, unknown> }>(response);
      expect(body.error).toMatchObject({
        code,
        message: expect.any(String) as unknown,
        innerError: {
          date: expect.any(String) as unknown,
          "request-id": expect.any(String) as unknown,
          "client-request-id": expect.any(String) as unknown,
        },
      });
    }
  });

  it("answers 401 InvalidAuthenticationToken to no token, an unknown one and an expired one", async () => {
    const { access_token: token } = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE });
    await control().expireTokens({ provider: "microsoft" });
    for (const response of [await graph("/me"), await graph("/me", "EwBnot-a-token"), await graph("/me", token)]) {
      expect(response.status).toBe(401);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe("InvalidAuthenticationToken");
    }
    expect((await graph("/me/nothing-here", token)).status).toBe(400);
  });
});

describe("sandbox Microsoft Continuous Access Evaluation", () => {
  it("challenges a cp1 client's tokens with insufficient_claims until the user authorizes with the claims", async () => {
    const capable = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE, claims: CP1 });
    const plain = await authorizeMicrosoft(sandbox.url, { email: BEN, scope: FULL_SCOPE });
    await control().cae(true, ADA);
    await control().cae(true, BEN);

    const challenged = await graph("/me", capable.access_token);
    expect(challenged.status).toBe(401);
    const header = challenged.headers.get("www-authenticate") ?? "";
    expect(header).toMatch(/^Bearer /);
    expect(header).toContain('error="insufficient_claims"');
    const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1]!, "base64").toString()) as {
      access_token: { nbf: { essential: boolean; value: string } };
    };
    expect(claims.access_token.nbf.essential).toBe(true);
    // A client without cp1 is never challenged.
    expect((await graph("/me", plain.access_token)).status).toBe(200);
    // Refreshing does not answer the challenge: the new token is challenged too.
    const refreshed = await json<TokenAnswer>(refresh(capable.refresh_token!));
    expect((await graph("/me", refreshed.access_token)).status).toBe(401);

    const merged = JSON.stringify({ access_token: { ...claims.access_token, xms_cc: { values: ["cp1"] } } });
    const again = await authorizeMicrosoft(sandbox.url, { email: ADA, scope: FULL_SCOPE, claims: merged });
    expect((await graph("/me", again.access_token)).status).toBe(200);
  });
});

describe("sandbox Microsoft routes and controls", () => {
  it("keeps /microsoft and /microsoft-graph apart, whole segments only", async () => {
    expect((await fetch(`${sandbox.url}/microsoft-graphx/v1.0/me`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/microsoftx/common/v2.0/.well-known/openid-configuration`)).status).toBe(404);
    const graphOnEntra = await fetch(`${sandbox.url}/microsoft/v1.0/me`);
    expectAadError((await graphOnEntra.json()) as Record<string, unknown>, "invalid_tenant", 90002);
  });

  it("refuses control calls it cannot act on", async () => {
    await expect(control().cae(true)).rejects.toThrow(/email needed/);
    expect(await control().cae(true, ADA)).toEqual({ challenged: [ADA] });
    expect(await control().cae(false)).toEqual({ challenged: [] });
    const wrongProvider = await fetch(`${sandbox.url}/control/expire-refresh-tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "google" }),
    });
    expect(wrongProvider.status).toBe(400);
  });
});
