import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider from "oidc-provider";
import { chosenEmail, GRANT_FIELD, GRANULAR_FIELD, loginPage } from "./login-page";
import { MemoryStore, type StoreSnapshot } from "./memory-adapter";
import { isLoopbackRedirect, readBody, readParams, redirect, sendHtml, sendJson } from "./http";
import { interceptRefresh, sandboxNow, type SandboxState } from "./state";
import { avatarDataUrl, googleSubject, sandboxUser } from "./users";

export const GOOGLE_API_SCOPES = [
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
  "https://www.googleapis.com/auth/drive.readonly",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
  "https://www.googleapis.com/auth/calendar.readonly",
  "https://www.googleapis.com/auth/gmail.labels",
] as const;

const G = "https://www.googleapis.com/auth/";

/** Google's names in token responses for the short sign-in scopes an app asks for. */
const GOOGLE_REPORTED_NAME: Record<string, string> = { email: `${G}userinfo.email`, profile: `${G}userinfo.profile` };

/** The sign-in basics (name, email, profile picture): always granted, no checkbox, no "Testing" expiry. */
const SIGN_IN_SCOPES = new Set(["openid", "email", "profile", `${G}userinfo.email`, `${G}userinfo.profile`]);

/** What the consent screen says for each scope (the raw name is shown beside, smaller). */
export const GOOGLE_SCOPE_WORDS: Record<string, string> = {
  openid: "Associate you with your personal info on Google",
  email: "See your primary Google Account email address",
  profile: "See your personal info, including your name and profile picture",
  [`${G}userinfo.email`]: "See your primary Google Account email address",
  [`${G}userinfo.profile`]: "See your personal info, including your name and profile picture",
  [`${G}drive.readonly`]: "See and download all your Google Drive files",
  [`${G}drive.metadata.readonly`]: "See information about your Google Drive files",
  [`${G}calendar.readonly`]: "See your Google Calendar events",
  [`${G}gmail.labels`]: "See and edit your Gmail labels",
};

/** `scope` as Google reports it in a token response: `email` → `…/auth/userinfo.email`, and so on. */
export function googleReportedScope(scope: string): string {
  const names = scope
    .split(" ")
    .filter(Boolean)
    .map((name) => (Object.hasOwn(GOOGLE_REPORTED_NAME, name) ? GOOGLE_REPORTED_NAME[name]! : name));
  return [...new Set(names)].join(" ");
}

const DAY_MS = 24 * 3600 * 1000;
/** A Google refresh token unused this long dies. */
export const UNUSED_REFRESH_TOKEN_MS = 183 * DAY_MS;
/** Refresh tokens of an app in "Testing" status, for scopes beyond the sign-in basics, die this long after issue. */
export const TESTING_REFRESH_TOKEN_MS = 7 * DAY_MS;

/** What the sandbox knows of a refresh token beyond oidc-provider's record (times on the sandbox's clock). */
type RefreshTokenInfo = { accountId: string; clientId: string; issuedAt: number; lastUsedAt: number; diesAt?: number };

/** The Google issuer's state, as persisted between runs. */
export type GoogleSnapshot = {
  store: StoreSnapshot;
  offlineGrants: string[];
  latestGrant: [string, string][];
  accounts: [string, string][];
  refreshTokens: [string, RefreshTokenInfo][];
};

export const GOOGLE_CLIENT = { id: "sandbox-google", secret: "sandbox-google-secret" } as const;

const MOUNT = "/google";

/** Google's answers to a refresh it refuses, by sandbox refresh mode. */
const GOOGLE_REFUSALS = {
  invalid_grant: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
  invalid_rapt: {
    error: "invalid_grant",
    error_subtype: "invalid_rapt",
    error_description: "reauth related error (invalid_rapt)",
  },
  admin_policy_enforced: {
    error: "admin_policy_enforced",
    error_description:
      "The Google Account is unable to authorize one or more scopes requested due to the policies of their Google Workspace administrator.",
  },
} as const;

// RS256 like Google's (clients default to expecting it). Generating an RSA key takes up to a few
// hundred milliseconds, so every sandbox in the process shares one (a persisted sandbox keeps its own).
let sharedKey: Record<string, unknown> | undefined;
export function signingKey(): Record<string, unknown> {
  sharedKey ??= {
    ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
    kid: "sandbox",
    alg: "RS256",
    use: "sig",
  };
  return sharedKey;
}

type OidcInteraction = {
  uid: string;
  params: Record<string, unknown>;
  persist(): Promise<unknown>;
};

/**
 * A Google-like OpenID Connect issuer built on oidc-provider, mounted at `${base}/google`:
 * an account chooser on every authorization, refresh tokens only with access_type=offline,
 * include_granted_scopes, refresh answers without a new refresh token, Google's revoke endpoint.
 */
export function createGoogleIdp(
  base: string,
  state: SandboxState,
  log: (line: string) => void = () => {},
  saved?: GoogleSnapshot,
  key: Record<string, unknown> = signingKey(),
) {
  const store = new MemoryStore(saved?.store);
  /** Grants that asked for offline access (access_type=offline): only they get refresh tokens. */
  const offlineGrants = new Set<string>(saved?.offlineGrants);
  /** The latest grant per account, for include_granted_scopes. */
  const latestGrant = new Map<string, string>(saved?.latestGrant);
  const accounts = new Map<string, string>(saved?.accounts); // sub → email
  /** Every live refresh token in issue order (the per-account limit drops the oldest). */
  const refreshTokens = new Map<string, RefreshTokenInfo>(saved?.refreshTokens);

  const provider = new Provider(`${base}${MOUNT}`, {
    adapter: store.adapterFor as never,
    clients: [
      {
        client_id: GOOGLE_CLIENT.id,
        client_secret: GOOGLE_CLIENT.secret,
        redirect_uris: ["http://127.0.0.1/api/auth/callback/google"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    clientAuthMethods: ["client_secret_post", "client_secret_basic"],
    jwks: { keys: [{ ...key }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "picture"] },
    scopes: ["openid", "email", "profile", ...GOOGLE_API_SCOPES],
    extraParams: ["access_type", "include_granted_scopes"],
    pkce: { required: () => false },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    ttl: {
      AccessToken: () => state.accessTokenTtlSeconds ?? 3599,
      AuthorizationCode: 60,
      Grant: 14 * 24 * 3600,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 180 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    rotateRefreshToken: false,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && offlineGrants.has(String(code.grantId)),
    // Google shows its account chooser every time; the grant is only reused on resume.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${MOUNT}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const email = accounts.get(sub);
      if (!email) return undefined;
      const user = sandboxUser(email);
      return {
        accountId: sub,
        claims: async () => ({ sub, email, email_verified: true, name: user.name, picture: avatarDataUrl(user) }),
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = "json";
      ctx.body = out;
    },
  });
  provider.proxy = false;
  const logError = (event: string) => (_ctx: unknown, error: Error & { error_detail?: string }) =>
    log(`google ${event}: ${error.message}${error.error_detail ? ` (${error.error_detail})` : ""}`);
  provider.on("grant.error", logError("grant.error"));
  provider.on("authorization.error", logError("authorization.error"));
  provider.on("server_error", logError("server_error"));

  // Any loopback redirect URI: the app under test runs on changing ports.
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string) {
    return isLoopbackRedirect(value);
  };

  // Google answers a refresh without a new refresh_token, and says so in its own words on failure.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object") return;
    // Advertise Google's revoke endpoint (token only, no client auth) rather than oidc-provider's.
    if (ctx.path === "/.well-known/openid-configuration") body.revocation_endpoint = `${base}${MOUNT}/revoke`;
    if (ctx.path !== "/token") return;
    // Google names the sign-in scopes in full: `…/auth/userinfo.email`, not `email`.
    if (typeof body.scope === "string") body.scope = googleReportedScope(body.scope);
    if (ctx.oidc?.params?.grant_type === "authorization_code" && typeof body.refresh_token === "string") {
      issued(body.refresh_token);
    }
    if (ctx.oidc?.params?.grant_type !== "refresh_token") return;
    if (body.error === "invalid_grant") body.error_description = "Token has been expired or revoked.";
    const info = refreshTokens.get(String(ctx.oidc.params.refresh_token));
    if (info && body.access_token) info.lastUsedAt = sandboxNow(state);
    delete body.refresh_token;
  });

  /** Notes a new refresh token's times, and drops the account's oldest beyond the limit, silently, as Google does. */
  function issued(token: string): void {
    const payload = store.model("RefreshToken").get(token);
    if (!payload) return;
    const now = sandboxNow(state);
    const scopes = String(payload.scope ?? "").split(" ");
    const testing = state.publishingStatus === "testing" && scopes.some((scope) => scope && !SIGN_IN_SCOPES.has(scope));
    const info: RefreshTokenInfo = {
      accountId: String(payload.accountId),
      clientId: String(payload.clientId),
      issuedAt: now,
      lastUsedAt: now,
      ...(testing ? { diesAt: now + TESTING_REFRESH_TOKEN_MS } : {}),
    };
    refreshTokens.set(token, info);
    const live = [...refreshTokens].filter(
      ([id, other]) =>
        other.accountId === info.accountId && other.clientId === info.clientId && store.model("RefreshToken").has(id),
    );
    for (const [id] of live.slice(0, Math.max(0, live.length - state.refreshTokenLimit))) dropRefreshToken(id);
  }

  function dropRefreshToken(token: string): void {
    store.model("RefreshToken").delete(token);
    refreshTokens.delete(token);
  }

  /** Has `token` reached one of Google's limits (on the sandbox's clock)? It is dropped if so. */
  function reachedItsEnd(token: string): boolean {
    const info = refreshTokens.get(token);
    if (!info) return false;
    const now = sandboxNow(state);
    const ended = (info.diesAt !== undefined && now >= info.diesAt) || now - info.lastUsedAt >= UNUSED_REFRESH_TOKEN_MS;
    if (ended) dropRefreshToken(token);
    return ended;
  }

  const callback = provider.callback();

  async function showLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = (await provider.interactionDetails(req, res)) as unknown as OidcInteraction;
    const scopes = String(details.params.scope ?? "")
      .split(" ")
      .filter(Boolean)
      .map((name) => ({
        name,
        words: Object.hasOwn(GOOGLE_SCOPE_WORDS, name) ? GOOGLE_SCOPE_WORDS[name] : undefined,
        // Granular consent: each scope beyond the sign-in basics can be unticked.
        choosable: !SIGN_IN_SCOPES.has(name),
      }));
    sendHtml(
      res,
      200,
      loginPage({
        providerName: "Google",
        action: `${MOUNT}/interaction/${details.uid}/login`,
        scopes,
        clientId: String(details.params.client_id),
      }),
    );
  }

  async function finishLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = (await provider.interactionDetails(req, res)) as unknown as OidcInteraction;
    const form = new URLSearchParams(await readBody(req));
    const email = chosenEmail(Object.fromEntries(form));
    if (!email) return redirect(res, `${MOUNT}/interaction/${details.uid}`);
    const sub = googleSubject(email);
    accounts.set(sub, email);
    const clientId = String(details.params.client_id);
    // Granular consent: the sign-in basics, and of the rest only what stayed ticked. A post
    // without the page's marker (a script) grants everything asked.
    const ticked = form.getAll(GRANT_FIELD);
    const requested = String(details.params.scope ?? "")
      .split(" ")
      .filter((scope) => scope && (!form.has(GRANULAR_FIELD) || SIGN_IN_SCOPES.has(scope) || ticked.includes(scope)))
      .join(" ");

    const key = `${sub}:${clientId}`;
    const previousId = details.params.include_granted_scopes === "true" ? latestGrant.get(key) : undefined;
    const previous = previousId ? await provider.Grant.find(previousId) : undefined;
    const grant = previous ?? new provider.Grant({ accountId: sub, clientId });
    grant.addOIDCScope(requested);
    const grantId = await grant.save();
    latestGrant.set(key, grantId);
    if (details.params.access_type === "offline") offlineGrants.add(grantId);

    // The new tokens carry old and new scopes, as Google's do with include_granted_scopes=true.
    details.params.scope = grant.getOIDCScope();
    await details.persist();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Google's POST /revoke: token=<access or refresh token>, no client authentication. */
  async function revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { token = "" } = await readParams(req);
    const found = (await provider.RefreshToken.find(token)) ?? (await provider.AccessToken.find(token));
    if (!found?.grantId)
      return sendJson(res, 400, { error: "invalid_token", error_description: "Token expired or revoked" });
    store.revokeGrant(found.grantId);
    state.stats.revocations.google += 1;
    sendJson(res, 200, {});
  }

  /** `rest` is the request path below /google, query included. */
  async function handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const path = new URL(rest, "http://sandbox").pathname;
    if (req.method === "GET" && /^\/interaction\/[^/]+$/.test(path)) return showLogin(req, res);
    if (req.method === "POST" && /^\/interaction\/[^/]+\/login$/.test(path)) return finishLogin(req, res);
    if (req.method === "POST" && path === "/revoke") return revoke(req, res);
    if (req.method === "POST" && path === "/token") {
      // Read the body here to see the grant type; oidc-provider then uses req.body.
      const text = await readBody(req);
      const params = Object.fromEntries(new URLSearchParams(text));
      (req as IncomingMessage & { body?: unknown }).body = params;
      state.stats.tokenRequests.google += 1;
      if (params.grant_type === "refresh_token") {
        if (
          await interceptRefresh(state, "google", res, (mode) =>
            sendJson(
              res,
              400,
              Object.hasOwn(GOOGLE_REFUSALS, mode)
                ? GOOGLE_REFUSALS[mode as keyof typeof GOOGLE_REFUSALS]
                : GOOGLE_REFUSALS.invalid_grant,
            ),
          )
        )
          return;
        if (reachedItsEnd(params.refresh_token ?? "")) return sendJson(res, 400, GOOGLE_REFUSALS.invalid_grant);
      }
    }
    if (req.method === "POST" && path === "/token/revocation") state.stats.revocations.google += 1;
    // oidc-provider computes its mount path from originalUrl minus url.
    const withOriginal = req as IncomingMessage & { originalUrl?: string };
    withOriginal.originalUrl = req.url;
    req.url = rest;
    await callback(req, res);
  }

  async function findAccessToken(token: string) {
    const found = await provider.AccessToken.find(token);
    if (!found || found.isExpired || (found.exp ?? 0) * 1000 <= sandboxNow(state)) return undefined;
    return {
      email: accounts.get(String(found.accountId)) ?? "",
      scopes: String(found.scope ?? "")
        .split(" ")
        .filter(Boolean),
    };
  }

  /** Control endpoint helpers. */
  function matchingGrants(email?: string): string[] {
    return [...store.model("Grant").values()]
      .filter((grant) => !email || accounts.get(String(grant.accountId)) === email)
      .map((grant) => String(grant.jti));
  }

  function expireAccessTokens(email?: string): number {
    const grants = new Set(matchingGrants(email));
    let count = 0;
    for (const payload of store.model("AccessToken").values()) {
      if (payload.grantId && grants.has(payload.grantId)) {
        payload.exp = Math.floor(Date.now() / 1000) - 1;
        count += 1;
      }
    }
    return count;
  }

  function revokeGrants(email?: string): number {
    const grants = matchingGrants(email);
    for (const grantId of grants) store.revokeGrant(grantId);
    return grants.length;
  }

  /** The grants `email` gave, for the sandbox's "Manage third-party access" page (sandbox/risc.ts). */
  function grantsOf(email: string): { grantId: string; clientId: string; sub: string; scopes: string[] }[] {
    const sub = googleSubject(email);
    return [...store.model("Grant").values()]
      .filter((grant) => String(grant.accountId) === sub)
      .map((grant) => ({
        grantId: String(grant.jti),
        clientId: String(grant.clientId),
        sub,
        scopes: String((grant.openid as { scope?: string } | undefined)?.scope ?? "")
          .split(" ")
          .filter(Boolean),
      }));
  }

  function revokeGrant(grantId: string): void {
    store.revokeGrant(grantId);
  }

  function snapshot(): GoogleSnapshot {
    for (const id of refreshTokens.keys()) if (!store.model("RefreshToken").has(id)) refreshTokens.delete(id);
    return {
      store: store.snapshot(),
      offlineGrants: [...offlineGrants],
      latestGrant: [...latestGrant],
      accounts: [...accounts],
      refreshTokens: [...refreshTokens],
    };
  }

  return { mount: MOUNT, handle, findAccessToken, expireAccessTokens, revokeGrants, grantsOf, revokeGrant, snapshot };
}
