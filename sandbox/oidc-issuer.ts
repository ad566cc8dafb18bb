import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider from "oidc-provider";
import { chosenEmail, loginPage } from "./login-page";
import { MemoryStore } from "./memory-adapter";
import { isLoopbackRedirect, readBody, redirect, sendHtml, sendJson } from "./http";
import { interceptRefresh, type SandboxState } from "./state";

/**
 * A plain OpenID Connect issuer at `${base}/oidc`, standing for any standards-following one (Okta,
 * Auth0, Keycloak, GitLab…) that the app reaches only through discovery: RFC 9207 `iss` in the
 * authorization response, RFC 7009 revocation, PKCE required, refresh tokens that rotate or not
 * (control switch). Its own client and its own users; nothing here is shaped after a vendor.
 */

export const OIDC_CLIENT = { id: "sandbox-oidc", secret: "sandbox-oidc-secret" } as const;

export const OIDC_USERS: readonly { email: string; name: string; role: string }[] = [
  { email: "dana@issuer.example", name: "Dana Issuer", role: "known only to the generic issuer" },
  { email: "alice@example.com", name: "Alice Example", role: "the same verified email as Alice at Google" },
];

const MOUNT = "/oidc";

export function oidcSubject(email: string): string {
  return `user-${createHash("sha256").update(`oidc:${email}`).digest("hex").slice(0, 16)}`;
}

type OidcInteraction = { uid: string; params: Record<string, unknown>; persist(): Promise<unknown> };

export function createOidcIssuer(
  base: string,
  state: SandboxState,
  key: Record<string, unknown>,
  log: (line: string) => void = () => {},
) {
  const store = new MemoryStore();
  const accounts = new Map<string, string>(); // sub → email

  const provider = new Provider(`${base}${MOUNT}`, {
    adapter: store.adapterFor as never,
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: ["http://127.0.0.1/api/auth/callback/oidc"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    jwks: { keys: [{ ...key }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile", "offline_access"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // A client may revoke its own tokens only.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
    },
    ttl: {
      AccessToken: () => state.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      Grant: 30 * 24 * 3600,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 30 * 24 * 3600,
      Session: 24 * 3600,
    },
    rotateRefreshToken: () => state.oidcRotatesRefreshTokens,
    // Like most issuers, a refresh token for any client allowed the grant (no prompt=consent dance).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    interactions: { url: (_ctx, interaction) => `${MOUNT}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const email = accounts.get(sub);
      if (!email) return undefined;
      const name = OIDC_USERS.find((user) => user.email === email)?.name ?? email.split("@")[0]!;
      return { accountId: sub, claims: async () => ({ sub, email, email_verified: true, name }) };
    },
    renderError: async (ctx, out) => {
      ctx.type = "json";
      ctx.body = out;
    },
  });
  provider.proxy = false;
  provider.on("server_error", (_ctx: unknown, error: Error) => log(`oidc server_error: ${error.message}`));
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string) {
    return isLoopbackRedirect(value);
  };
  // The control endpoint's "issuer_mismatch": discovery names an issuer other than its own URL.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/.well-known/openid-configuration" && state.oidcDiscovery === "issuer_mismatch") {
      (ctx.body as Record<string, unknown>).issuer = `${base}/oidc-elsewhere`;
    }
  });
  const callback = provider.callback();

  async function showLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = (await provider.interactionDetails(req, res)) as unknown as OidcInteraction;
    sendHtml(
      res,
      200,
      loginPage({
        providerName: "OpenID Connect issuer",
        action: `${MOUNT}/interaction/${details.uid}/login`,
        scopes: String(details.params.scope ?? "")
          .split(" ")
          .filter(Boolean)
          .map((name) => ({ name })),
        clientId: String(details.params.client_id),
        users: OIDC_USERS,
      }),
    );
  }

  async function finishLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = (await provider.interactionDetails(req, res)) as unknown as OidcInteraction;
    const email = chosenEmail(Object.fromEntries(new URLSearchParams(await readBody(req))));
    if (!email) return redirect(res, `${MOUNT}/interaction/${details.uid}`);
    const sub = oidcSubject(email);
    accounts.set(sub, email);
    const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** `rest` is the request path below /oidc, query included. */
  async function handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    if (state.oidcDiscovery === "down")
      return sendJson(res, 503, { error: "temporarily_unavailable", error_description: "sandbox: issuer down" });
    const path = new URL(rest, "http://sandbox").pathname;
    if (req.method === "GET" && /^\/interaction\/[^/]+$/.test(path)) return showLogin(req, res);
    if (req.method === "POST" && /^\/interaction\/[^/]+\/login$/.test(path)) return finishLogin(req, res);
    if (req.method === "POST" && path === "/token") {
      // Read the body here to see the grant type; oidc-provider then uses req.body.
      const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
      (req as IncomingMessage & { body?: unknown }).body = params;
      state.issuerStats.oidc.tokenRequests += 1;
      const refuse = () =>
        sendJson(res, 400, { error: "invalid_grant", error_description: "grant request is invalid" });
      if (params.grant_type === "refresh_token" && (await interceptRefresh(state, "oidc", res, refuse))) return;
    }
    if (req.method === "POST" && path === "/token/revocation") state.issuerStats.oidc.revocations += 1;
    const withOriginal = req as IncomingMessage & { originalUrl?: string };
    withOriginal.originalUrl = req.url;
    req.url = rest;
    await callback(req, res);
  }

  function matchingGrants(email?: string): string[] {
    return [...store.model("Grant").values()]
      .filter((grant) => !email || accounts.get(String(grant.accountId)) === email)
      .map((grant) => String(grant.jti));
  }

  return {
    mount: MOUNT,
    handle,
    expireAccessTokens(email?: string): number {
      const grants = new Set(matchingGrants(email));
      let count = 0;
      for (const payload of store.model("AccessToken").values()) {
        if (!payload.grantId || !grants.has(payload.grantId)) continue;
        payload.exp = Math.floor(Date.now() / 1000) - 1;
        count += 1;
      }
      return count;
    },
    revokeGrants(email?: string): number {
      const grants = matchingGrants(email);
      for (const grantId of grants) store.revokeGrant(grantId);
      return grants.length;
    },
  };
}
