import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGithubServer, GITHUB_CLIENTS } from "./github";
import { createGoogleApi } from "./google-api";
import { createGoogleIdp, GOOGLE_CLIENT, signingKey } from "./google-idp";
import { readParams, sendJson } from "./http";
import { createMicrosoftIdp, MICROSOFT_CLIENT } from "./microsoft";
import { createMicrosoftGraph } from "./microsoft-graph";
import { createOidcIssuer, OIDC_CLIENT } from "./oidc-issuer";
import { createRisc } from "./risc";
import { readSnapshot, stateWriter } from "./persist";
import {
  createState,
  DEFAULT_SLOW_REFRESH_MS,
  GOOGLE_ONLY_MODES,
  MICROSOFT_ONLY_MODES,
  releaseHanging,
  resetState,
  type OidcDiscoveryMode,
  type PublishingStatus,
  type RefreshMode,
  type RefreshTarget,
} from "./state";

export { SANDBOX_USERS } from "./users";
export { MICROSOFT_TENANTS, MICROSOFT_USERS } from "./microsoft";
export { OIDC_USERS } from "./oidc-issuer";

export const SANDBOX_CLIENTS = {
  google: { id: GOOGLE_CLIENT.id, secret: GOOGLE_CLIENT.secret },
  github: { id: GITHUB_CLIENTS.oauthApp.id, secret: GITHUB_CLIENTS.oauthApp.secret },
  githubApp: { id: GITHUB_CLIENTS.githubApp.id, secret: GITHUB_CLIENTS.githubApp.secret },
  /** Entra ID (/microsoft/{tenant}/v2.0): a GUID, as Entra's application (client) ids are. */
  microsoft: { id: MICROSOFT_CLIENT.id, secret: MICROSOFT_CLIENT.secret },
  /** The generic OpenID Connect issuer (/oidc). */
  oidc: { id: OIDC_CLIENT.id, secret: OIDC_CLIENT.secret },
} as const;

export type SandboxOptions = {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Lifetime of issued access tokens; default: each provider's own. */
  accessTokenTtlSeconds?: number;
  log?: (line: string) => void;
  /**
   * A JSON file that keeps grants, tokens and users across restarts (`npm run dev`:
   * `.data/sandbox/state.json`). Unset (tests): everything lives in memory only.
   */
  statePath?: string;
};

export type Sandbox = {
  url: string;
  /**
   * Stops listening and drops every open connection, then writes the state file if there is one.
   * Grants stay in memory: `reopen` serves them again.
   */
  close(): Promise<void>;
  /** Listens again on the same port after `close`, as a provider back from an outage. */
  reopen(): Promise<void>;
};

const PROVIDERS: readonly RefreshTarget[] = ["google", "github", "microsoft", "oidc"];
const MODES: readonly RefreshMode[] = [
  "normal",
  "invalid_grant",
  "error_500",
  "junk",
  "hang",
  "slow",
  ...GOOGLE_ONLY_MODES,
  ...MICROSOFT_ONLY_MODES,
];
const OIDC_DISCOVERY_MODES: readonly OidcDiscoveryMode[] = ["normal", "issuer_mismatch", "down"];
const PUBLISHING_STATUSES: readonly PublishingStatus[] = ["production", "testing"];

/**
 * Starts the local stand-ins for Google (OIDC issuer at /google), GitHub (/github), the Google
 * APIs (/google-api), Microsoft Entra ID (/microsoft/{tenant}/v2.0, sandbox/microsoft.ts), Microsoft
 * Graph (/microsoft-graph/v1.0) and a generic OpenID Connect issuer (/oidc), plus /control for
 * tests. Loopback only: it must never serve a deployed site. Entra's and the generic issuer's
 * grants live in memory only (not in the state file).
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = createState(options.accessTokenTtlSeconds);
  const server = createServer();
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const log = options.log ?? (() => {});
  const saved = options.statePath ? readSnapshot(options.statePath, log) : undefined;
  const key = saved?.signingKey ?? signingKey();
  const google = createGoogleIdp(url, state, options.log, saved?.google, key);
  const github = createGithubServer(state, saved?.github);
  const writer =
    options.statePath === undefined
      ? undefined
      : stateWriter(
          options.statePath,
          () => ({ version: 1, signingKey: key, google: google.snapshot(), github: github.snapshot() }),
          log,
        );
  const googleApi = createGoogleApi(google.findAccessToken);
  const risc = createRisc(url, google, options.log);
  const microsoft = createMicrosoftIdp(url, state, key);
  const microsoftGraph = createMicrosoftGraph(url, state, microsoft.findAccessToken);
  const oidc = createOidcIssuer(url, state, key, options.log);
  const byProvider = { google, github, microsoft, oidc };

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/stats") return sendJson(res, 200, state.stats);
    if (req.method === "GET" && path === "/issuer-stats") return sendJson(res, 200, state.issuerStats);
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    const body = await readParams(req);
    const targets = body.provider ? PROVIDERS.filter((name) => name === body.provider) : PROVIDERS;
    if (body.provider && targets.length === 0)
      return sendJson(res, 400, { error: `unknown provider ${body.provider}` });
    const email = body.email?.toLowerCase() || undefined;
    switch (path) {
      case "/expire-tokens":
        return sendJson(res, 200, {
          expired: targets.reduce((sum, name) => sum + byProvider[name].expireAccessTokens(email), 0),
        });
      case "/revoke":
        return sendJson(res, 200, {
          revoked: targets.reduce((sum, name) => sum + byProvider[name].revokeGrants(email), 0),
        });
      case "/refresh-mode": {
        const mode = body.mode as RefreshMode;
        if (!MODES.includes(mode) || !body.provider)
          return sendJson(res, 400, { error: `provider and mode (${MODES.join("|")}) needed` });
        if (GOOGLE_ONLY_MODES.includes(mode) && body.provider !== "google")
          return sendJson(res, 400, { error: `${mode} is a Google refusal: provider must be google` });
        if (MICROSOFT_ONLY_MODES.includes(mode) && body.provider !== "microsoft")
          return sendJson(res, 400, { error: `${mode} is a Microsoft refusal: provider must be microsoft` });
        const delayMs = body.delayMs === undefined ? DEFAULT_SLOW_REFRESH_MS : Number(body.delayMs);
        if (!Number.isInteger(delayMs) || delayMs < 0)
          return sendJson(res, 400, { error: "delayMs must be a non-negative integer" });
        state.refreshMode[body.provider as RefreshTarget] = mode;
        state.slowRefreshMs = delayMs;
        if (mode !== "hang") releaseHanging(state);
        return sendJson(res, 200, { refreshMode: state.refreshMode, slowRefreshMs: delayMs });
      }
      case "/token-ttl": {
        const seconds = Number(body.seconds);
        if (!Number.isInteger(seconds) || seconds < 1)
          return sendJson(res, 400, { error: "seconds must be a positive integer" });
        state.accessTokenTtlSeconds = seconds;
        return sendJson(res, 200, { accessTokenTtlSeconds: seconds });
      }
      case "/clock": {
        // `advanceSeconds` moves the sandbox's clock on from where it is; `offsetSeconds` sets it from real time.
        const seconds = Number(body.advanceSeconds ?? body.offsetSeconds);
        if (!Number.isFinite(seconds) || (body.advanceSeconds === undefined) === (body.offsetSeconds === undefined))
          return sendJson(res, 400, { error: "advanceSeconds or offsetSeconds (a number) needed" });
        state.clockOffsetMs = (body.advanceSeconds === undefined ? 0 : state.clockOffsetMs) + seconds * 1000;
        return sendJson(res, 200, { clockOffsetSeconds: state.clockOffsetMs / 1000 });
      }
      case "/publishing-status": {
        const status = body.status as PublishingStatus;
        if (!PUBLISHING_STATUSES.includes(status))
          return sendJson(res, 400, { error: `status (${PUBLISHING_STATUSES.join("|")}) needed` });
        state.publishingStatus = status;
        return sendJson(res, 200, { publishingStatus: status });
      }
      case "/refresh-token-limit": {
        const limit = Number(body.limit);
        if (!Number.isInteger(limit) || limit < 1)
          return sendJson(res, 400, { error: "limit must be a positive integer" });
        state.refreshTokenLimit = limit;
        return sendJson(res, 200, { refreshTokenLimit: limit });
      }
      case "/expire-refresh-tokens":
        if (body.provider !== "microsoft")
          return sendJson(res, 400, { error: "provider must be microsoft (90 days unused)" });
        return sendJson(res, 200, { expired: microsoft.expireRefreshTokens(email) });
      case "/cae": {
        // Continuous Access Evaluation: Graph challenges this user's cp1 tokens until they sign in with the claims.
        if (body.challenge !== "true" && body.challenge !== "false")
          return sendJson(res, 400, { error: "challenge (true|false) needed" });
        if (body.challenge === "true" && !email) return sendJson(res, 400, { error: "email needed" });
        if (body.challenge === "true") state.caeChallenged.add(email!);
        else if (email) state.caeChallenged.delete(email);
        else state.caeChallenged.clear();
        return sendJson(res, 200, { challenged: [...state.caeChallenged] });
      }
      case "/oidc-refresh-rotation":
        if (body.rotate !== "true" && body.rotate !== "false")
          return sendJson(res, 400, { error: "rotate (true|false) needed" });
        state.oidcRotatesRefreshTokens = body.rotate === "true";
        return sendJson(res, 200, { rotate: state.oidcRotatesRefreshTokens });
      case "/oidc-discovery": {
        const mode = body.mode as OidcDiscoveryMode;
        if (!OIDC_DISCOVERY_MODES.includes(mode))
          return sendJson(res, 400, { error: `mode (${OIDC_DISCOVERY_MODES.join("|")}) needed` });
        state.oidcDiscovery = mode;
        return sendJson(res, 200, { oidcDiscovery: mode });
      }
      case "/reset":
        resetState(state, options.accessTokenTtlSeconds);
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { error: "unknown control action" });
    }
  }

  const routes: [string, (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>][] = [
    ...risc.routes, // before /google and /control: Cross-Account Protection (sandbox/risc.ts)
    [google.mount, google.handle],
    [github.mount, github.handle],
    [googleApi.mount, googleApi.handle],
    [microsoft.mount, microsoft.handle],
    [microsoftGraph.mount, microsoftGraph.handle],
    [oidc.mount, oidc.handle],
    ["/control", control],
  ];

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    // Whatever a request changed reaches the state file shortly after (debounced).
    if (writer) res.on("finish", () => writer.schedule());
    // "/google-api" also starts with "/google": match whole path segments only.
    const route = routes.find(
      ([mount]) => path === mount || path.startsWith(`${mount}/`) || path.startsWith(`${mount}?`),
    );
    const handler = route
      ? route[1](req, res, path.slice(route[0].length) || "/")
      : Promise.resolve(
          sendJson(res, 404, {
            error: "not found",
            hint: "routes: /google, /github, /google-api, /microsoft, /microsoft-graph, /oidc, /control",
          }),
        );
    handler.catch((error: unknown) => {
      options.log?.(`error on ${req.method} ${path}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "sandbox_error", error_description: String(error) });
      else res.destroy();
    });
  });

  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => {
        releaseHanging(state);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writer?.flush();
    },
    reopen: () => listen(port),
  };
}
