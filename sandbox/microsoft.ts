import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { chosenEmail, loginPage } from "./login-page";
import { basicAuth, isLoopbackRedirect, readParams, redirect, sendHtml, sendJson } from "./http";
import { interceptRefresh, sandboxNow, type RefusalMode, type SandboxState } from "./state";

/**
 * A Microsoft Entra ID stand-in (the v2.0 endpoints) at `${base}/microsoft/{tenant}/…`.
 *
 * Hand-written rather than built on oidc-provider, because two of Entra's habits go against what
 * oidc-provider enforces: the multi-tenant endpoints (`common`, `organizations`, `consumers`) sign
 * ID tokens whose `iss` names the user's own tenant, not the endpoint's issuer (one Provider has
 * one issuer), and a refresh rotates the refresh token without ending the old one (oidc-provider
 * consumes it, and reuse revokes the grant).
 */

/** Tenant A and B of the work accounts, and the tenant every personal Microsoft account has. */
export const MICROSOFT_TENANTS = {
  contoso: "4d9b5a1e-6a1f-4c1a-9f0e-2a7c3e5b8d01",
  fabrikam: "b7e3c2d4-8f1a-4e6b-a2c9-5d0f1e3a7b02",
  personal: "9188040d-6c67-4c5b-b112-36a304b66dad",
} as const;

export const MICROSOFT_CLIENT = {
  id: "0c7f5a2e-3b1d-4e8a-9f6c-5e2d1a4b7c90",
  secret: "sandbox-microsoft-secret",
  name: "Sandbox connected-accounts app",
} as const;

export type MicrosoftUser = {
  email: string;
  name: string;
  tid: string;
  /** The optional `xms_edov` claim (email domain owner verified); absent when undefined. */
  xmsEdov?: boolean;
  /** What this user is for. */
  role: string;
};

export const MICROSOFT_USERS: readonly MicrosoftUser[] = [
  {
    email: "ada@contoso.example",
    name: "Ada Contoso",
    tid: MICROSOFT_TENANTS.contoso,
    xmsEdov: true,
    role: "work account in tenant A (Contoso); xms_edov true",
  },
  {
    email: "ben@fabrikam.example",
    name: "Ben Fabrikam",
    tid: MICROSOFT_TENANTS.fabrikam,
    xmsEdov: false,
    role: "work account in tenant B (Fabrikam); xms_edov false",
  },
  {
    email: "bob@example.com",
    name: "Not Bob",
    tid: MICROSOFT_TENANTS.fabrikam,
    xmsEdov: false,
    role: "a tenant B account whose unverified email is Bob's: it must never join Bob",
  },
  {
    email: "alice@example.com",
    name: "Alice Example",
    tid: MICROSOFT_TENANTS.personal,
    role: "personal Microsoft account (no xms_edov claim)",
  },
];

/** Typed addresses: a known tenant's domain makes a work account there, any other a personal account. */
const TENANT_OF_DOMAIN: Record<string, string> = {
  "contoso.example": MICROSOFT_TENANTS.contoso,
  "fabrikam.example": MICROSOFT_TENANTS.fabrikam,
};

export function microsoftUser(email: string): MicrosoftUser {
  const normalized = email.trim().toLowerCase();
  const domain = normalized.split("@")[1] ?? "";
  return (
    MICROSOFT_USERS.find((user) => user.email === normalized) ?? {
      email: normalized,
      name: normalized
        .split("@")[0]!
        .replace(/[._-]+/g, " ")
        .replace(/\b\w/g, (c) => c.toUpperCase()),
      tid: TENANT_OF_DOMAIN[domain] ?? MICROSOFT_TENANTS.personal,
      role: "typed on the login page",
    }
  );
}

const hash = (value: string) => createHash("sha256").update(value).digest();

/** Stable per-email object id (a GUID, as Entra's `oid`). */
export function microsoftObjectId(email: string): string {
  const hex = hash(`microsoft-oid:${email}`).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Entra's `sub` is pairwise: the same user has another `sub` for each app. */
export function microsoftSubject(email: string, clientId: string): string {
  return hash(`microsoft-sub:${email}:${clientId}`).toString("base64url").slice(0, 43);
}

const MOUNT = "/microsoft";
const GRAPH = "https://graph.microsoft.com/";
/** Graph's application id, named in Entra's MFA refusals and in Graph's challenges. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const OIDC_SCOPES = ["openid", "profile", "email"];
const DAY_MS = 24 * 3600 * 1000;
/** Entra's refresh tokens for web apps: 90 days from their last use. */
export const MICROSOFT_REFRESH_TOKEN_IDLE_MS = 90 * DAY_MS;

/** Graph's scopes in words, as Microsoft's consent screen shows them. */
const SCOPE_WORDS: Record<string, string> = {
  openid: "Sign you in",
  profile: "View your basic profile",
  email: "View your email address",
  offline_access: "Maintain access to data you have given it access to",
  "User.Read": "Sign you in and read your profile",
  "Files.Read": "Read your files",
  "Calendars.Read": "Read your calendars",
};

/** `https://graph.microsoft.com/Files.Read` → `Files.Read`: Graph is the only resource here. */
const graphName = (scope: string) => (scope.startsWith(GRAPH) ? scope.slice(GRAPH.length) : scope);

const splitScope = (scope: string | undefined) => [...new Set((scope ?? "").split(" ").filter(Boolean).map(graphName))];

type Grant = {
  email: string;
  clientId: string;
  /** Graph scopes the user consented to, across every authorization (Entra remembers consent). */
  graphScopes: Set<string>;
  revoked: boolean;
};
type Authorization = {
  grant: Grant;
  /** The OpenID scopes asked (openid, profile, email). */
  oidcScopes: string[];
  offline: boolean;
  /** The client declared the `cp1` capability (Continuous Access Evaluation) in `claims`. */
  cp1: boolean;
};
type PendingCode = Authorization & {
  redirectUri: string;
  challenge?: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
};
type AccessToken = { authorization: Authorization; scopes: string[]; expiresAt: number };
type RefreshToken = { authorization: Authorization; lastUsedAt: number };

/** What Graph needs to know of a bearer token. */
export type MicrosoftTokenInfo = { user: MicrosoftUser; scopes: string[]; cp1: boolean; expired: boolean };

/** Does the tenant segment of the URL admit this user? `common` any, `organizations` work, `consumers` personal. */
function admits(tenant: string, user: MicrosoftUser): boolean {
  if (tenant === "common") return true;
  if (tenant === "organizations") return user.tid !== MICROSOFT_TENANTS.personal;
  if (tenant === "consumers") return user.tid === MICROSOFT_TENANTS.personal;
  return user.tid === tenant;
}

const KNOWN_TENANTS = new Set<string>(["common", "organizations", "consumers", ...Object.values(MICROSOFT_TENANTS)]);

/** The `claims` request parameter: does it declare `cp1`, and does it carry a CAE challenge's claims? */
function readClaims(value: string | undefined): { cp1: boolean; answersChallenge: boolean } {
  if (!value) return { cp1: false, answersChallenge: false };
  try {
    const parsed = JSON.parse(value) as { access_token?: { xms_cc?: { values?: unknown }; nbf?: unknown } };
    const values = parsed.access_token?.xms_cc?.values;
    return {
      cp1: Array.isArray(values) && values.includes("cp1"),
      answersChallenge: parsed.access_token?.nbf !== undefined,
    };
  } catch {
    return { cp1: false, answersChallenge: false };
  }
}

function signJwt(claims: Record<string, unknown>, key: Record<string, unknown>, privateKey: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ typ: "JWT", alg: "RS256", kid: key.kid })}.${encode(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

export function createMicrosoftIdp(base: string, state: SandboxState, key: Record<string, unknown>) {
  const grants = new Map<string, Grant>(); // `${email}:${clientId}`
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, AccessToken>();
  const refreshTokens = new Map<string, RefreshToken>();
  const privateKey = createPrivateKey({ key, format: "jwk" });
  const publicKey = {
    ...createPublicKey(privateKey).export({ format: "jwk" }),
    kid: key.kid,
    alg: "RS256",
    use: "sig",
  };
  const issuerOf = (tenant: string) => `${base}${MOUNT}/${tenant}/v2.0`;

  /** Entra's error body: the AADSTS code leads the description, then trace id, correlation id and time on their own lines. */
  function aadError(code: number, error: string, message: string, extra: Record<string, unknown> = {}) {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    return {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${base}${MOUNT}/error?code=${code}`,
      ...extra,
    };
  }

  const refusals: Record<RefusalMode, () => { status: number; body: Record<string, unknown> }> = {
    AADSTS65001: () => ({
      status: 400,
      body: aadError(
        65001,
        "invalid_grant",
        `The user or administrator has not consented to use the application with ID '${MICROSOFT_CLIENT.id}' named '${MICROSOFT_CLIENT.name}'. Send an interactive authorization request for this user and resource.`,
        { suberror: "consent_required" },
      ),
    }),
    AADSTS50173: () => ({
      status: 400,
      body: aadError(
        50173,
        "invalid_grant",
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
      ),
    }),
    AADSTS700082: () => ({
      status: 400,
      body: aadError(
        700082,
        "invalid_grant",
        "The refresh token has expired due to inactivity. The token was inactive for 90.00:00:00.",
      ),
    }),
    AADSTS70008: () => ({
      status: 400,
      body: aadError(
        70008,
        "invalid_grant",
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
      ),
    }),
    AADSTS50076: () => ({
      status: 400,
      body: aadError(
        50076,
        "interaction_required",
        `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
      ),
    }),
    AADSTS50079: () => ({
      status: 400,
      body: aadError(
        50079,
        "interaction_required",
        `Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '${GRAPH_APP_ID}'.`,
      ),
    }),
    AADSTS7000112: () => ({
      status: 400,
      body: aadError(
        7000112,
        "unauthorized_client",
        `Application '${MICROSOFT_CLIENT.id}'(${MICROSOFT_CLIENT.name}) is disabled.`,
      ),
    }),
    // The generic refusal of the control endpoint: a revoked grant, in Entra's words.
    invalid_grant: () => refusals.AADSTS50173(),
    invalid_rapt: () => refusals.AADSTS50173(),
    admin_policy_enforced: () => refusals.AADSTS7000112(),
  };

  function refuse(res: ServerResponse, mode: RefusalMode): void {
    const { status, body } = refusals[mode]();
    sendJson(res, status, body);
  }

  function discovery(res: ServerResponse, tenant: string): void {
    const endpoint = (path: string) => `${base}${MOUNT}/${tenant}${path}`;
    const multiTenant = ["common", "organizations", "consumers"].includes(tenant);
    sendJson(res, 200, {
      token_endpoint: endpoint("/oauth2/v2.0/token"),
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: endpoint("/discovery/v2.0/keys"),
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      // Literally `{tenantid}` on the multi-tenant endpoints: the client substitutes the token's `tid`.
      issuer: multiTenant ? `${base}${MOUNT}/{tenantid}/v2.0` : issuerOf(tenant),
      request_uri_parameter_supported: false,
      authorization_endpoint: endpoint("/oauth2/v2.0/authorize"),
      // As Entra publishes it (Graph's); a client that reads the ID token never calls it.
      userinfo_endpoint: `${base}/microsoft-graph/oidc/userinfo`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: endpoint("/oauth2/v2.0/logout"),
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "email",
        "oid",
      ],
      tenant_region_scope: null,
      cloud_instance_name: "microsoftonline.com",
      // No revocation_endpoint: Entra has no RFC 7009 endpoint for user grants.
    });
  }

  const findClient = (id: string | undefined) => (id === MICROSOFT_CLIENT.id ? MICROSOFT_CLIENT : undefined);

  /** The authorize request's checks that Entra shows on its own page rather than redirecting. */
  function authorizeProblem(params: Record<string, string>): { code: number; message: string } | undefined {
    if (!findClient(params.client_id))
      return {
        code: 700016,
        message: `Application with identifier '${params.client_id ?? ""}' was not found in the directory.`,
      };
    if (!isLoopbackRedirect(params.redirect_uri ?? ""))
      return {
        code: 50011,
        message: `The redirect URI '${params.redirect_uri ?? ""}' specified in the request does not match the redirect URIs configured for the application.`,
      };
    if (params.response_type !== "code")
      return { code: 700054, message: "response_type must be 'code' for this sandbox." };
    if (params.code_challenge && params.code_challenge_method !== "S256")
      return { code: 5000811, message: "Only the S256 code challenge method is supported." };
    return undefined;
  }

  const AUTHORIZE_KEEP = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "claims",
    "prompt",
    "login_hint",
  ];

  function authorizeForm(res: ServerResponse, tenant: string, params: Record<string, string>, error?: string): void {
    const problem = authorizeProblem(params);
    if (problem) return sendJson(res, 400, aadError(problem.code, "invalid_request", problem.message));
    sendHtml(
      res,
      error ? 400 : 200,
      loginPage({
        providerName: "Microsoft",
        action: `${MOUNT}/${tenant}/oauth2/v2.0/authorize`,
        scopes: splitScope(params.scope).map((name) => ({
          name,
          words: Object.hasOwn(SCOPE_WORDS, name) ? SCOPE_WORDS[name] : undefined,
        })),
        clientId: MICROSOFT_CLIENT.name,
        hidden: Object.fromEntries(
          AUTHORIZE_KEEP.filter((name) => params[name] !== undefined).map((name) => [name, params[name]!]),
        ),
        users: MICROSOFT_USERS.filter((user) => admits(tenant, user)),
        error,
      }),
    );
  }

  function authorizeSubmit(res: ServerResponse, tenant: string, params: Record<string, string>): void {
    const problem = authorizeProblem(params);
    if (problem) return sendJson(res, 400, aadError(problem.code, "invalid_request", problem.message));
    const email = chosenEmail(params);
    if (!email) return authorizeForm(res, tenant, params);
    const user = microsoftUser(email);
    if (!admits(tenant, user)) {
      const kind = user.tid === MICROSOFT_TENANTS.personal ? "personal Microsoft account" : "work or school account";
      return authorizeForm(
        res,
        tenant,
        params,
        `AADSTS50020: The ${kind} '${user.email}' cannot sign in through the '${tenant}' endpoint of this application.`,
      );
    }
    const key = `${user.email}:${MICROSOFT_CLIENT.id}`;
    const grant = grants.get(key) ?? {
      email: user.email,
      clientId: MICROSOFT_CLIENT.id,
      graphScopes: new Set(),
      revoked: false,
    };
    // A new sign-in starts a new grant for this app; consent given before is remembered.
    grant.revoked = false;
    grants.set(key, grant);
    const asked = splitScope(params.scope);
    for (const scope of asked)
      if (!OIDC_SCOPES.includes(scope) && scope !== "offline_access") grant.graphScopes.add(scope);
    const claims = readClaims(params.claims);
    // The user signed in again with the claims Graph asked for: the CAE challenge is answered.
    if (claims.answersChallenge) state.caeChallenged.delete(user.email);
    const code = randomBytes(24).toString("base64url");
    codes.set(code, {
      grant,
      oidcScopes: asked.filter((scope) => OIDC_SCOPES.includes(scope)),
      offline: asked.includes("offline_access"),
      cp1: claims.cp1,
      redirectUri: params.redirect_uri!,
      challenge: params.code_challenge,
      nonce: params.nonce,
      expiresAt: sandboxNow(state) + 10 * 60 * 1000,
      redeemed: false,
    });
    const target = new URL(params.redirect_uri!);
    target.searchParams.set("code", code);
    if (params.state) target.searchParams.set("state", params.state);
    redirect(res, target.href);
  }

  /** Access, refresh and ID tokens for an authorization; `scope` as Entra echoes it: Graph's names, never offline_access. */
  function issueTokens(authorization: Authorization, nonce?: string): Record<string, unknown> {
    const now = sandboxNow(state);
    const ttl = state.accessTokenTtlSeconds ?? 3600;
    const scopes = [...authorization.grant.graphScopes, ...authorization.oidcScopes];
    const accessToken = `EwB${randomBytes(32).toString("base64url")}`;
    accessTokens.set(accessToken, { authorization, scopes, expiresAt: now + ttl * 1000 });
    const answer: Record<string, unknown> = {
      token_type: "Bearer",
      scope: scopes.join(" "),
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: accessToken,
    };
    if (authorization.offline) {
      const refreshToken = `M.C${randomBytes(32).toString("base64url")}`;
      refreshTokens.set(refreshToken, { authorization, lastUsedAt: now });
      answer.refresh_token = refreshToken;
    }
    if (authorization.oidcScopes.includes("openid")) answer.id_token = idToken(authorization, nonce);
    return answer;
  }

  function idToken(authorization: Authorization, nonce?: string): string {
    const user = microsoftUser(authorization.grant.email);
    const seconds = Math.floor(sandboxNow(state) / 1000);
    const profile = authorization.oidcScopes.includes("profile");
    return signJwt(
      {
        aud: authorization.grant.clientId,
        iss: issuerOf(user.tid),
        iat: seconds,
        nbf: seconds,
        exp: seconds + 3600,
        ...(authorization.oidcScopes.includes("email") ? { email: user.email } : {}),
        ...(profile ? { name: user.name, preferred_username: user.email } : {}),
        ...(nonce ? { nonce } : {}),
        oid: microsoftObjectId(user.email),
        sub: microsoftSubject(user.email, authorization.grant.clientId),
        tid: user.tid,
        ver: "2.0",
        ...(user.xmsEdov === undefined ? {} : { xms_edov: user.xmsEdov }),
      },
      key,
      privateKey,
    );
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, tenant: string): Promise<void> {
    const params = await readParams(req);
    state.issuerStats.microsoft.tokenRequests += 1;
    if (
      params.grant_type === "refresh_token" &&
      (await interceptRefresh(state, "microsoft", res, (mode) => refuse(res, mode)))
    )
      return;
    const credentials = basicAuth(req) ?? { id: params.client_id ?? "", secret: params.client_secret ?? "" };
    if (!findClient(credentials.id))
      return sendJson(
        res,
        400,
        aadError(
          700016,
          "unauthorized_client",
          `Application with identifier '${credentials.id}' was not found in the directory.`,
        ),
      );
    if (credentials.secret !== MICROSOFT_CLIENT.secret)
      return sendJson(res, 401, aadError(7000215, "invalid_client", "Invalid client secret provided."));

    if (params.grant_type === "refresh_token") return refreshGrant(res, tenant, params);
    if (params.grant_type !== "authorization_code")
      return sendJson(
        res,
        400,
        aadError(70003, "unsupported_grant_type", "The app requested an unsupported grant type."),
      );

    const pending = codes.get(params.code ?? "");
    if (!pending || pending.expiresAt <= sandboxNow(state)) return refuse(res, "AADSTS70008");
    if (pending.redeemed)
      return sendJson(res, 400, aadError(54005, "invalid_grant", "OAuth2 Authorization code was already redeemed."));
    pending.redeemed = true;
    if (params.redirect_uri !== pending.redirectUri)
      return sendJson(
        res,
        400,
        aadError(
          500112,
          "invalid_grant",
          "The reply address does not match the reply address of the authorization code.",
        ),
      );
    const verifier = createHash("sha256")
      .update(params.code_verifier ?? "")
      .digest("base64url");
    if (pending.challenge && verifier !== pending.challenge)
      return sendJson(
        res,
        400,
        aadError(
          501481,
          "invalid_grant",
          "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ),
      );
    sendJson(res, 200, issueTokens(pending, pending.nonce));
  }

  function refreshGrant(res: ServerResponse, tenant: string, params: Record<string, string>): void {
    const stored = refreshTokens.get(params.refresh_token ?? "");
    if (!stored)
      return sendJson(
        res,
        400,
        aadError(9002313, "invalid_grant", "Invalid request. Request is malformed or invalid."),
      );
    const now = sandboxNow(state);
    if (stored.authorization.grant.revoked) return refuse(res, "AADSTS50173");
    if (now - stored.lastUsedAt >= MICROSOFT_REFRESH_TOKEN_IDLE_MS) {
      refreshTokens.delete(params.refresh_token!);
      return refuse(res, "AADSTS700082");
    }
    if (!admits(tenant, microsoftUser(stored.authorization.grant.email)))
      return sendJson(res, 400, aadError(50020, "invalid_grant", "The user's account does not belong to this tenant."));
    // A scope the user never consented to needs an interactive authorization.
    const asked = splitScope(params.scope).filter(
      (scope) => !OIDC_SCOPES.includes(scope) && scope !== "offline_access",
    );
    if (asked.some((scope) => !stored.authorization.grant.graphScopes.has(scope))) return refuse(res, "AADSTS65001");
    // Rotation: a new refresh token every time, and the old one keeps working (its 90 days slide too).
    stored.lastUsedAt = now;
    const claims = readClaims(params.claims);
    sendJson(res, 200, issueTokens({ ...stored.authorization, cp1: stored.authorization.cp1 || claims.cp1 }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const url = new URL(rest, "http://sandbox");
    const match = /^\/([^/]+)(\/.*)$/.exec(url.pathname);
    const tenant = match?.[1] ?? "";
    const path = match?.[2] ?? "";
    if (!KNOWN_TENANTS.has(tenant))
      return sendJson(
        res,
        400,
        aadError(
          90002,
          "invalid_tenant",
          `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
        ),
      );
    if (req.method === "GET" && path === "/v2.0/.well-known/openid-configuration") return discovery(res, tenant);
    if (req.method === "GET" && path === "/discovery/v2.0/keys") return sendJson(res, 200, { keys: [publicKey] });
    if (path === "/oauth2/v2.0/authorize") {
      if (req.method === "GET") return authorizeForm(res, tenant, Object.fromEntries(url.searchParams));
      if (req.method === "POST") return authorizeSubmit(res, tenant, await readParams(req));
    }
    if (req.method === "POST" && path === "/oauth2/v2.0/token") return tokenEndpoint(req, res, tenant);
    sendJson(res, 404, { error: "not_found" });
  }

  /** For the Graph stand-in: what a bearer token opens, expired or not; undefined when unknown. */
  function findAccessToken(token: string): MicrosoftTokenInfo | undefined {
    const found = accessTokens.get(token);
    if (!found) return undefined;
    return {
      user: microsoftUser(found.authorization.grant.email),
      scopes: found.scopes,
      cp1: found.authorization.cp1,
      expired: found.expiresAt <= sandboxNow(state),
    };
  }

  const matches = (email: string | undefined, authorization: Authorization) =>
    !email || authorization.grant.email === email;

  return {
    mount: MOUNT,
    handle,
    findAccessToken,
    expireAccessTokens(email?: string): number {
      let count = 0;
      for (const token of accessTokens.values()) {
        if (!matches(email, token.authorization)) continue;
        token.expiresAt = sandboxNow(state) - 1000;
        count += 1;
      }
      return count;
    },
    /** As an admin revoking the user's sessions: refresh tokens die (AADSTS50173); access tokens live on until they expire. */
    revokeGrants(email?: string): number {
      const revoked = [...grants.values()].filter((grant) => !grant.revoked && (!email || grant.email === email));
      for (const grant of revoked) grant.revoked = true;
      return revoked.length;
    },
    /** Makes refresh tokens look unused for more than 90 days (AADSTS700082), without moving the clock. */
    expireRefreshTokens(email?: string): number {
      let count = 0;
      for (const token of refreshTokens.values()) {
        if (!matches(email, token.authorization)) continue;
        token.lastUsedAt = sandboxNow(state) - MICROSOFT_REFRESH_TOKEN_IDLE_MS - 1000;
        count += 1;
      }
      return count;
    },
  };
}
