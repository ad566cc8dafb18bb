import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGithubServer, GITHUB_CLIENTS } from "./github";
import { createGoogleApi } from "./google-api";
import { createGoogleIdp, GOOGLE_CLIENT } from "./google-idp";
import { readParams, sendJson } from "./http";
import { createRisc } from "./risc";
import {
  createState,
  DEFAULT_SLOW_REFRESH_MS,
  releaseHanging,
  resetState,
  type RefreshMode,
  type SandboxProviderName,
} from "./state";

export { SANDBOX_USERS } from "./users";

export const SANDBOX_CLIENTS = {
  google: { id: GOOGLE_CLIENT.id, secret: GOOGLE_CLIENT.secret },
  github: { id: GITHUB_CLIENTS.oauthApp.id, secret: GITHUB_CLIENTS.oauthApp.secret },
  githubApp: { id: GITHUB_CLIENTS.githubApp.id, secret: GITHUB_CLIENTS.githubApp.secret },
} as const;

export type SandboxOptions = {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Lifetime of issued access tokens; default: each provider's own. */
  accessTokenTtlSeconds?: number;
  log?: (line: string) => void;
};

export type Sandbox = {
  url: string;
  /** Stops listening and drops every open connection. Grants stay in memory: `reopen` serves them again. */
  close(): Promise<void>;
  /** Listens again on the same port after `close`, as a provider back from an outage. */
  reopen(): Promise<void>;
};

const PROVIDERS: readonly SandboxProviderName[] = ["google", "github"];
const MODES: readonly RefreshMode[] = ["normal", "invalid_grant", "error_500", "hang", "slow"];

/**
 * Starts the local stand-ins for Google (OIDC issuer at /google), GitHub (/github) and the Google
 * APIs (/google-api), plus /control for tests. Loopback only: it must never serve a deployed site.
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

  const google = createGoogleIdp(url, state, options.log);
  const github = createGithubServer(state);
  const googleApi = createGoogleApi(google.findAccessToken);
  const risc = createRisc(url, google, options.log);
  const byProvider = { google, github };

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/stats") return sendJson(res, 200, state.stats);
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
        const delayMs = body.delayMs === undefined ? DEFAULT_SLOW_REFRESH_MS : Number(body.delayMs);
        if (!Number.isInteger(delayMs) || delayMs < 0)
          return sendJson(res, 400, { error: "delayMs must be a non-negative integer" });
        state.refreshMode[body.provider as SandboxProviderName] = mode;
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
    ["/control", control],
  ];

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    // "/google-api" also starts with "/google": match whole path segments only.
    const route = routes.find(
      ([mount]) => path === mount || path.startsWith(`${mount}/`) || path.startsWith(`${mount}?`),
    );
    const handler = route
      ? route[1](req, res, path.slice(route[0].length) || "/")
      : Promise.resolve(
          sendJson(res, 404, { error: "not found", hint: "routes: /google, /github, /google-api, /control" }),
        );
    handler.catch((error: unknown) => {
      options.log?.(`error on ${req.method} ${path}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "sandbox_error", error_description: String(error) });
      else res.destroy();
    });
  });

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        releaseHanging(state);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    reopen: () => listen(port),
  };
}
