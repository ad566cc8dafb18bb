import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { chosenEmail, loginPage } from "./login-page";
import { basicAuth, bearerToken, isLoopbackRedirect, readParams, redirect, sendHtml, sendJson } from "./http";
import { interceptRefresh, type SandboxState } from "./state";
import { avatarDataUrl, githubId, sandboxUser } from "./users";

export const GITHUB_CLIENTS = {
  /** Behaves like a GitHub OAuth App: tokens never expire, no refresh token. */
  oauthApp: { id: "sandbox-github", secret: "sandbox-github-secret", expiring: false },
  /** Behaves like a GitHub App: 8-hour tokens and a refresh token that rotates on every use. */
  githubApp: { id: "sandbox-github-app", secret: "sandbox-github-app-secret", expiring: true },
} as const;

const MOUNT = "/github";

/** GitHub's consent screen lists scopes in words; no granular choice there (all or nothing). */
const GITHUB_SCOPE_WORDS: Record<string, string> = {
  "read:user": "Read your profile data",
  "user:email": "See your email addresses",
  repo: "Full control of your repositories",
};
const REFRESH_TOKEN_TTL = 15_897_600;

type Client = (typeof GITHUB_CLIENTS)[keyof typeof GITHUB_CLIENTS];
type Grant = { id: string; clientId: string; email: string; scope: string };
type PendingCode = { grant: Grant; redirectUri: string; challenge?: string; expiresAt: number };

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString("base64url")}`;

/** The GitHub server's tokens, as persisted between runs (pending codes are not kept). */
export type GithubSnapshot = {
  accessTokens: [string, { grant: Grant; expiresAt: number | null }][];
  refreshTokens: [string, { grant: Grant; expiresAt: number }][];
};

/** A GitHub-like OAuth 2 server at `${base}/github`, with the REST API under /github/api/v3. */
export function createGithubServer(state: SandboxState, saved?: GithubSnapshot) {
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number | null }>(saved?.accessTokens);
  const refreshTokens = new Map<string, { grant: Grant; expiresAt: number }>(saved?.refreshTokens);

  const findClient = (id: string | undefined): Client | undefined =>
    Object.values(GITHUB_CLIENTS).find((client) => client.id === id);

  function issueTokens(client: Client, grant: Grant): Record<string, string | number> {
    const accessToken = token(client.expiring ? "ghu" : "gho");
    const ttl = state.accessTokenTtlSeconds ?? 28_800;
    accessTokens.set(accessToken, { grant, expiresAt: client.expiring ? Date.now() + ttl * 1000 : null });
    const answer: Record<string, string | number> = {
      access_token: accessToken,
      token_type: "bearer",
      scope: grant.scope,
    };
    if (client.expiring) {
      const refreshToken = token("ghr");
      refreshTokens.set(refreshToken, { grant, expiresAt: Date.now() + REFRESH_TOKEN_TTL * 1000 });
      Object.assign(answer, {
        expires_in: ttl,
        refresh_token: refreshToken,
        refresh_token_expires_in: REFRESH_TOKEN_TTL,
      });
    }
    return answer;
  }

  /** GitHub answers form-encoded unless asked for JSON, and reports errors with HTTP 200. */
  function answer(req: IncomingMessage, res: ServerResponse, body: Record<string, string | number>): void {
    if ((req.headers.accept ?? "").includes("application/json")) return sendJson(res, 200, body);
    res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
    res.end(new URLSearchParams(Object.entries(body).map(([key, value]) => [key, String(value)])).toString());
  }

  function authorizeForm(res: ServerResponse, params: Record<string, string>): void {
    const client = findClient(params.client_id);
    if (!client) return sendJson(res, 404, { error: "not_found", error_description: "unknown client_id" });
    if (!isLoopbackRedirect(params.redirect_uri ?? "")) {
      return sendJson(res, 400, {
        error: "redirect_uri_mismatch",
        error_description: "redirect_uri must be on loopback",
      });
    }
    const keep = ["client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"];
    sendHtml(
      res,
      200,
      loginPage({
        providerName: "GitHub",
        action: `${MOUNT}/login/oauth/authorize`,
        scopes: (params.scope ?? "")
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((name) => ({
            name,
            words: Object.hasOwn(GITHUB_SCOPE_WORDS, name) ? GITHUB_SCOPE_WORDS[name] : undefined,
          })),
        clientId: client.id,
        hidden: Object.fromEntries(keep.filter((key) => params[key] !== undefined).map((key) => [key, params[key]!])),
      }),
    );
  }

  function authorizeSubmit(res: ServerResponse, params: Record<string, string>): void {
    const client = findClient(params.client_id);
    const redirectUri = params.redirect_uri ?? "";
    if (!client || !isLoopbackRedirect(redirectUri)) return sendJson(res, 400, { error: "invalid_request" });
    const email = chosenEmail(params);
    if (!email) return authorizeForm(res, params);
    if (params.code_challenge && params.code_challenge_method !== "S256") {
      return sendJson(res, 400, { error: "invalid_request", error_description: "only S256 PKCE is supported" });
    }
    const code = randomBytes(10).toString("hex");
    const grant = { id: randomBytes(8).toString("hex"), clientId: client.id, email, scope: params.scope ?? "" };
    codes.set(code, { grant, redirectUri, challenge: params.code_challenge, expiresAt: Date.now() + 600_000 });
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    if (params.state) target.searchParams.set("state", params.state);
    redirect(res, target.href);
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readParams(req);
    const credentials = basicAuth(req) ?? { id: params.client_id ?? "", secret: params.client_secret ?? "" };
    const client = findClient(credentials.id);
    state.stats.tokenRequests.github += 1;
    const badRefreshToken = () =>
      answer(req, res, {
        error: "bad_refresh_token",
        error_description: "The refresh token passed is incorrect or expired.",
      });
    if (params.grant_type === "refresh_token" && (await interceptRefresh(state, "github", res, badRefreshToken)))
      return;
    if (!client || client.secret !== credentials.secret) {
      return answer(req, res, {
        error: "incorrect_client_credentials",
        error_description: "The client_id and/or client_secret passed are incorrect.",
      });
    }

    if (params.grant_type === "refresh_token") {
      const stored = refreshTokens.get(params.refresh_token ?? "");
      // Rotation: a refresh token works once; the old one dies as the new one is issued.
      refreshTokens.delete(params.refresh_token ?? "");
      if (!stored || stored.expiresAt < Date.now() || stored.grant.clientId !== client.id) return badRefreshToken();
      return answer(req, res, issueTokens(client, stored.grant));
    }

    const pending = codes.get(params.code ?? "");
    codes.delete(params.code ?? "");
    const verifierMatches =
      !pending?.challenge ||
      createHash("sha256")
        .update(params.code_verifier ?? "")
        .digest("base64url") === pending.challenge;
    if (
      !pending ||
      pending.expiresAt < Date.now() ||
      pending.grant.clientId !== client.id ||
      (params.redirect_uri && params.redirect_uri !== pending.redirectUri) ||
      !verifierMatches
    ) {
      return answer(req, res, {
        error: "bad_verification_code",
        error_description: "The code passed is incorrect or expired.",
      });
    }
    answer(req, res, issueTokens(client, pending.grant));
  }

  function authenticated(req: IncomingMessage): Grant | undefined {
    const found = accessTokens.get(bearerToken(req) ?? "");
    if (!found || (found.expiresAt !== null && found.expiresAt <= Date.now())) return undefined;
    return found.grant;
  }

  function api(req: IncomingMessage, res: ServerResponse, path: string): void {
    const grant = authenticated(req);
    if (!grant) return sendJson(res, 401, { message: "Bad credentials", status: "401" });
    const user = sandboxUser(grant.email);
    if (path === "/user") {
      return sendJson(res, 200, {
        id: githubId(user.email),
        login: user.email.split("@")[0]!.replace(/[^a-z0-9-]/gi, "-"),
        name: user.name,
        email: user.privateEmail ? null : user.email,
        avatar_url: avatarDataUrl(user),
      });
    }
    if (path === "/user/emails") {
      return sendJson(res, 200, [
        {
          email: user.email,
          primary: true,
          verified: !user.unverifiedEmail,
          visibility: user.privateEmail ? "private" : "public",
        },
        {
          email: `${githubId(user.email)}+noreply@users.noreply.github.com`,
          primary: false,
          verified: true,
          visibility: null,
        },
      ]);
    }
    if (path === "/user/repos") {
      const owner = user.email.split("@")[0]!.replace(/[^a-z0-9-]/gi, "-");
      return sendJson(
        res,
        200,
        ["notes", "dotfiles"].map((name, index) => ({
          id: githubId(user.email) * 10 + index,
          name,
          full_name: `${owner}/${name}`,
          private: index === 1,
          html_url: `https://github.com/${owner}/${name}`,
          updated_at: new Date(Date.UTC(2026, 10, 1 + index)).toISOString(),
        })),
      );
    }
    sendJson(res, 404, { message: "Not Found" });
  }

  /** DELETE /applications/{client_id}/grant|token with the client's basic auth. */
  async function revoke(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    const credentials = basicAuth(req);
    const client = findClient(clientId);
    if (!client || credentials?.id !== client.id || credentials.secret !== client.secret) {
      return sendJson(res, 401, { message: "Requires authentication" });
    }
    const { access_token: accessToken = "" } = await readParams(req);
    const found = accessTokens.get(accessToken);
    // GitHub wants "a valid OAuth access_token": an expired or unknown one is Not Found.
    const expired = found?.expiresAt != null && found.expiresAt <= Date.now();
    if (!found || expired || found.grant.clientId !== client.id) return sendJson(res, 404, { message: "Not Found" });
    // Both endpoints end the whole grant here, so a revoked app loses its refresh token too.
    revokeGrant(found.grant.id);
    state.stats.revocations.github += 1;
    res.writeHead(204).end();
  }

  function revokeGrant(grantId: string): void {
    for (const map of [accessTokens, refreshTokens]) {
      for (const [key, value] of map) if (value.grant.id === grantId) map.delete(key);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, "http://sandbox");
    if (url.pathname === "/login/oauth/authorize") {
      if (req.method === "GET") return authorizeForm(res, Object.fromEntries(url.searchParams));
      if (req.method === "POST") return authorizeSubmit(res, await readParams(req));
    }
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST") return tokenEndpoint(req, res);
    const revocation = /^\/api\/v3\/applications\/([^/]+)\/(grant|token)$/.exec(url.pathname);
    if (revocation && req.method === "DELETE") return revoke(req, res, decodeURIComponent(revocation[1]!));
    if (url.pathname.startsWith("/api/v3/") && req.method === "GET")
      return api(req, res, url.pathname.slice("/api/v3".length));
    sendJson(res, 404, { message: "Not Found" });
  }

  function forEachGrant(email: string | undefined, act: (grant: Grant, accessToken: string) => void): number {
    let count = 0;
    for (const [accessToken, { grant }] of accessTokens) {
      if (!email || grant.email === email) {
        act(grant, accessToken);
        count += 1;
      }
    }
    return count;
  }

  return {
    mount: MOUNT,
    handle,
    snapshot: (): GithubSnapshot => ({
      accessTokens: [...accessTokens].filter(([, entry]) => entry.expiresAt === null || entry.expiresAt > Date.now()),
      refreshTokens: [...refreshTokens].filter(([, entry]) => entry.expiresAt > Date.now()),
    }),
    expireAccessTokens: (email?: string) =>
      forEachGrant(email, (_grant, accessToken) => {
        const entry = accessTokens.get(accessToken);
        if (entry) entry.expiresAt = Date.now() - 1000;
      }),
    revokeGrants: (email?: string) => {
      const grants = new Set<string>();
      for (const map of [accessTokens, refreshTokens]) {
        for (const { grant } of map.values()) if (!email || grant.email === email) grants.add(grant.id);
      }
      for (const grantId of grants) revokeGrant(grantId);
      return grants.size;
    },
  };
}
