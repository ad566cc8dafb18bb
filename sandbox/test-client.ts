import { createHash, randomBytes } from "node:crypto";
import { GOOGLE_CLIENT } from "./google-idp";
import type {
  OidcDiscoveryMode,
  PublishingStatus,
  RefreshMode,
  RefreshTarget,
  SandboxProviderName,
  SandboxState,
} from "./state";

/**
 * Drives the sandbox's authorization flows without a browser (tests and benchmarks use it to
 * get real tokens): follows redirects by hand, keeps cookies, posts the account chooser.
 */
export type TokenAnswer = Record<string, unknown> & {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
  scope?: string;
};

const REDIRECT_URI = "http://127.0.0.1:3999/api/auth/callback/test";
const MICROSOFT_CLIENT_ID = "0c7f5a2e-3b1d-4e8a-9f6c-5e2d1a4b7c90";

class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const separator = pair.indexOf("=");
      this.cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

async function follow(url: string, jar: CookieJar, init: RequestInit = {}, stopAt = REDIRECT_URI): Promise<Response> {
  let response = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: jar.header() } });
  jar.store(response);
  for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops += 1) {
    const location = new URL(response.headers.get("location")!, url).href;
    if (location.startsWith(stopAt)) return response;
    url = location;
    response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
  }
  return response;
}

function codeFrom(response: Response): string {
  const location = response.headers.get("location") ?? "";
  const code = new URL(location, "http://x").searchParams.get("code");
  if (!code) throw new Error(`no code in redirect (status ${response.status}, location ${location})`);
  return code;
}

export type GoogleAuthorizeOptions = {
  email: string;
  scope?: string;
  accessType?: "offline" | "online";
  includeGrantedScopes?: boolean;
  prompt?: string;
  maxAge?: number;
  /** Scopes to untick on the consent screen (granular consent): the grant leaves them out. */
  deny?: readonly string[];
};

/** Runs the Google authorization request up to the redirect back: the code and its PKCE verifier. */
export async function googleAuthorizationCode(
  sandboxUrl: string,
  options: GoogleAuthorizeOptions,
): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    client_id: "sandbox-google",
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: options.scope ?? "openid email profile",
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    access_type: options.accessType ?? "offline",
    ...(options.includeGrantedScopes ? { include_granted_scopes: "true" } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.maxAge !== undefined ? { max_age: String(options.maxAge) } : {}),
  });
  const jar = new CookieJar();
  const chooser = await follow(`${sandboxUrl}/google/auth?${params}`, jar);
  const { action, body } = loginFormPost(await chooser.text(), options.email, options.deny);
  const done = await follow(new URL(action, sandboxUrl).href, jar, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return { code: codeFrom(done), verifier, redirectUri: REDIRECT_URI };
}

/** Posts a token request and returns its answer; throws with the answer when it holds no access token. */
async function tokenRequest(
  url: string,
  body: URLSearchParams,
  headers: Record<string, string> = {},
): Promise<TokenAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  const answer = (await response.json()) as TokenAnswer;
  if (!response.ok || !answer.access_token) throw new Error(`token exchange failed: ${JSON.stringify(answer)}`);
  return answer;
}

export async function authorizeGoogle(sandboxUrl: string, options: GoogleAuthorizeOptions): Promise<TokenAnswer> {
  const { code, verifier } = await googleAuthorizationCode(sandboxUrl, options);
  return tokenRequest(
    `${sandboxUrl}/google/token`,
    new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: "sandbox-google",
      client_secret: "sandbox-google-secret",
    }),
  );
}

export async function authorizeGithub(
  sandboxUrl: string,
  options: { email: string; clientId?: "sandbox-github" | "sandbox-github-app"; scope?: string },
): Promise<TokenAnswer> {
  const clientId = options.clientId ?? "sandbox-github-app";
  const verifier = randomBytes(32).toString("base64url");
  const response = await fetch(`${sandboxUrl}/github/login/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: options.scope ?? "read:user user:email",
      state: "s",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      email: options.email,
    }),
  });
  return tokenRequest(
    `${sandboxUrl}/github/login/oauth/access_token`,
    new URLSearchParams({
      client_id: clientId,
      client_secret: `${clientId}-secret`,
      code: codeFrom(response),
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  );
}

const unescapeHtml = (value: string) =>
  value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name]!,
  );

/** The login page's form: where it posts, and its hidden fields. */
function loginForm(html: string): { action: string; hidden: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form in: ${html.slice(0, 300)}`);
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name = "", value = ""]) => [
      unescapeHtml(name),
      unescapeHtml(value),
    ]),
  );
  return { action: unescapeHtml(action), hidden };
}

/**
 * What a browser posts from a sandbox login page (sandbox/login-page.ts, any provider) when the
 * user continues as `email`: the hidden fields, and every scope checkbox left ticked but `deny`.
 */
export function loginFormPost(
  html: string,
  email: string,
  deny: readonly string[] = [],
): { action: string; body: URLSearchParams } {
  const { action, hidden } = loginForm(html);
  const body = new URLSearchParams({ ...hidden, email });
  for (const [, value = ""] of html.matchAll(/<input type="checkbox" name="grant" value="([^"]+)" checked/g)) {
    const scope = unescapeHtml(value);
    if (!deny.includes(scope)) body.append("grant", scope);
  }
  return { action, body };
}

export type MicrosoftAuthorizeOptions = {
  email: string;
  /** `common` (default), `organizations`, `consumers` or a tenant id. */
  tenant?: string;
  scope?: string;
  /** The `claims` request parameter (JSON), e.g. declaring the `cp1` capability. */
  claims?: string;
  nonce?: string;
};

/**
 * Runs the Entra authorization request through its login page, as a browser would, up to the
 * redirect back. `refused` holds the page's refusal when the tenant does not admit the account.
 */
export async function microsoftAuthorizationCode(
  sandboxUrl: string,
  options: MicrosoftAuthorizeOptions,
): Promise<{ code: string; verifier: string; redirectUri: string } | { refused: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    client_id: MICROSOFT_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: options.scope ?? "openid profile email offline_access User.Read",
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...(options.claims ? { claims: options.claims } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
  const tenant = options.tenant ?? "common";
  const page = await fetch(`${sandboxUrl}/microsoft/${tenant}/oauth2/v2.0/authorize?${params}`);
  const html = await page.text();
  if (!page.ok) throw new Error(`no login page (status ${page.status}): ${html}`);
  const { action, hidden } = loginForm(html);
  const done = await fetch(new URL(action, sandboxUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...hidden, email: options.email }),
  });
  if (done.status !== 302) {
    const refused = /<p role="alert" class="error">([^<]+)<\/p>/.exec(await done.text())?.[1];
    if (refused) return { refused: unescapeHtml(refused) };
    throw new Error(`Microsoft login answered ${done.status}`);
  }
  return { code: codeFrom(done), verifier, redirectUri: REDIRECT_URI };
}

/** The Entra code flow with PKCE, to the token answer (throws when the tenant refuses the account). */
export async function authorizeMicrosoft(sandboxUrl: string, options: MicrosoftAuthorizeOptions): Promise<TokenAnswer> {
  const result = await microsoftAuthorizationCode(sandboxUrl, options);
  if ("refused" in result) throw new Error(result.refused);
  return tokenRequest(
    `${sandboxUrl}/microsoft/${options.tenant ?? "common"}/oauth2/v2.0/token`,
    new URLSearchParams({
      grant_type: "authorization_code",
      code: result.code,
      redirect_uri: result.redirectUri,
      code_verifier: result.verifier,
      client_id: MICROSOFT_CLIENT_ID,
      client_secret: "sandbox-microsoft-secret",
    }),
  );
}

/** Runs the generic issuer's authorization request (PKCE) to the redirect back: the whole redirect URL. */
export async function oidcAuthorizationRedirect(
  sandboxUrl: string,
  options: { email: string; scope?: string },
): Promise<{ location: URL; verifier: string; redirectUri: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    client_id: "sandbox-oidc",
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: options.scope ?? "openid email profile offline_access",
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const location = await oidcLogin(`${sandboxUrl}/oidc/auth?${params}`, options.email);
  return { location, verifier, redirectUri: REDIRECT_URI };
}

/**
 * Signs `email` in at the generic issuer from any authorization URL (an app's own, say Auth.js's):
 * the redirect back to `redirectUri`, not followed.
 */
export async function oidcLogin(authorizationUrl: string, email: string, redirectUri = REDIRECT_URI): Promise<URL> {
  const jar = new CookieJar();
  const page = await follow(authorizationUrl, jar, {}, redirectUri);
  const { action } = loginForm(await page.text());
  const done = await follow(
    new URL(action, authorizationUrl).href,
    jar,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email }),
    },
    redirectUri,
  );
  return new URL(done.headers.get("location") ?? "", authorizationUrl);
}

export async function authorizeOidc(
  sandboxUrl: string,
  options: { email: string; scope?: string },
): Promise<TokenAnswer> {
  const { location, verifier } = await oidcAuthorizationRedirect(sandboxUrl, options);
  return tokenRequest(
    `${sandboxUrl}/oidc/token`,
    new URLSearchParams({
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
    { authorization: `Basic ${Buffer.from("sandbox-oidc:sandbox-oidc-secret").toString("base64")}` },
  );
}

/** Calls a control endpoint as is: the answer unchecked, errors included (tests of the endpoint itself use it). */
export async function control(
  sandboxUrl: string,
  action: string,
  body: Record<string, unknown> = {},
): Promise<unknown> {
  const response = await fetch(`${sandboxUrl}/control/${action}`, {
    method: action === "stats" ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: action === "stats" ? undefined : JSON.stringify(body),
  });
  return response.json();
}

/** Which grants a control call acts on: every provider and user unless narrowed. */
export type SandboxTarget = { provider?: RefreshTarget; email?: string };

/**
 * The sandbox's /control endpoints (sandbox/index.ts), typed. Each call throws when the sandbox
 * refuses it, so a test never goes on against a sandbox that is not in the state it asked for.
 */
export type SandboxControl = {
  readonly url: string;
  /** Counts since start (or `reset`): refresh grants, authorization-code exchanges, revocations. */
  stats(): Promise<SandboxState["stats"]>;
  /** The same counts for Microsoft Entra and the generic issuer. */
  issuerStats(): Promise<SandboxState["issuerStats"]>;
  /** Refresh grants received per provider (`stats().refreshRequests`). */
  refreshRequests(): Promise<Record<SandboxProviderName, number>>;
  /** Makes the issued access tokens expire now (refresh tokens still work). */
  expireTokens(target?: SandboxTarget): Promise<{ expired: number }>;
  /** Revokes grants at the provider, as a user who removes the app: their refresh tokens die. */
  revoke(target?: SandboxTarget): Promise<{ revoked: number }>;
  /** How `provider` answers refresh grants from now on; `delayMs` is the hold of the "slow" mode. */
  refreshMode(
    provider: RefreshTarget,
    mode: RefreshMode,
    options?: { delayMs?: number },
  ): Promise<{ refreshMode: Record<RefreshTarget, RefreshMode>; slowRefreshMs: number }>;
  /** Microsoft: makes refresh tokens look unused for over 90 days, so they answer AADSTS700082. */
  expireMicrosoftRefreshTokens(email?: string): Promise<{ expired: number }>;
  /**
   * Microsoft Continuous Access Evaluation: with `challenge`, Graph answers the user's tokens from
   * a `cp1` client with 401 `insufficient_claims` until they authorize again with those claims.
   * Without an email, `false` clears every challenge.
   */
  cae(challenge: boolean, email?: string): Promise<{ challenged: string[] }>;
  /** The generic issuer (/oidc): does a refresh rotate the refresh token (default true). */
  oidcRefreshRotation(rotate: boolean): Promise<{ rotate: boolean }>;
  /** The generic issuer's discovery: normal, naming another issuer, or down (503 on every /oidc route). */
  oidcDiscovery(mode: OidcDiscoveryMode): Promise<{ oidcDiscovery: OidcDiscoveryMode }>;
  /** Lifetime of access tokens issued from now on. */
  tokenTtl(seconds: number): Promise<{ accessTokenTtlSeconds: number }>;
  /**
   * Moves the sandbox's clock `seconds` ahead (Google only: it judges refresh tokens' age and
   * access tokens' expiry by it), to reach the 7-day "Testing" expiry or the 6 months unused.
   */
  advanceClock(seconds: number): Promise<{ clockOffsetSeconds: number }>;
  /**
   * Google's publishing status for refresh tokens issued from now on: in "testing", those whose
   * grant goes beyond the sign-in basics (openid, email, profile) die 7 days after issue.
   */
  publishingStatus(status: PublishingStatus): Promise<{ publishingStatus: PublishingStatus }>;
  /**
   * Google's cap on live refresh tokens per account per client (100): a new one beyond it drops
   * the oldest, silently. Lower it to reach it in a test.
   */
  refreshTokenLimit(limit: number): Promise<{ refreshTokenLimit: number }>;
  /** Back to the state at start: normal refreshes, counts at zero, the start's token lifetime, clock, status and limit. */
  reset(): Promise<{ ok: true }>;
};

export function sandboxControl(sandboxUrl: string): SandboxControl {
  async function call<Answer>(action: string, body?: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(`${sandboxUrl}/control/${action}`, {
      method: body ? "POST" : "GET",
      headers: { "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = (await response.json()) as Answer;
    if (!response.ok)
      throw new Error(`sandbox control ${action} refused (${response.status}): ${JSON.stringify(answer)}`);
    return answer;
  }
  return {
    url: sandboxUrl,
    stats: () => call("stats"),
    issuerStats: () => call("issuer-stats"),
    refreshRequests: async () => (await call<SandboxState["stats"]>("stats")).refreshRequests,
    expireTokens: (target = {}) => call("expire-tokens", target),
    revoke: (target = {}) => call("revoke", target),
    refreshMode: (provider, mode, options = {}) => call("refresh-mode", { provider, mode, ...options }),
    expireMicrosoftRefreshTokens: (email) => call("expire-refresh-tokens", { provider: "microsoft", email }),
    cae: (challenge, email) => call("cae", { challenge, email }),
    oidcRefreshRotation: (rotate) => call("oidc-refresh-rotation", { rotate }),
    oidcDiscovery: (mode) => call("oidc-discovery", { mode }),
    tokenTtl: (seconds) => call("token-ttl", { seconds }),
    advanceClock: (seconds) => call("clock", { advanceSeconds: seconds }),
    publishingStatus: (status) => call("publishing-status", { status }),
    refreshTokenLimit: (limit) => call("refresh-token-limit", { limit }),
    reset: () => call("reset", {}),
  };
}

type RefreshOptions = { auth?: "post" | "basic"; signal?: AbortSignal };

/**
 * A refresh grant at a token endpoint, with the client authenticated in the form (`post`) or by
 * HTTP Basic (`basic`); the answer as is, a refusal included.
 */
export function refreshAt(
  tokenUrl: string,
  refreshToken: string,
  { id, secret }: { id: string; secret: string },
  { auth = "post", signal }: RefreshOptions = {},
): Promise<Response> {
  const grant = { grant_type: "refresh_token", refresh_token: refreshToken };
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/x-www-form-urlencoded",
  };
  if (auth === "basic") headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const body = new URLSearchParams(auth === "post" ? { ...grant, client_id: id, client_secret: secret } : grant);
  return fetch(tokenUrl, { method: "POST", headers, body, signal });
}

/** A refresh grant at the sandbox's Google token endpoint (refreshAt). */
export function refreshGoogle(
  sandboxUrl: string,
  refreshToken: string,
  options: RefreshOptions = {},
): Promise<Response> {
  return refreshAt(`${sandboxUrl}/google/token`, refreshToken, GOOGLE_CLIENT, options);
}

/** A GET to the sandbox's Google APIs, e.g. `googleApi(url, "/drive/v3/files", token)`; no token, no Authorization. */
export function googleApi(sandboxUrl: string, path: string, token?: string): Promise<Response> {
  return fetch(`${sandboxUrl}/google-api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}
