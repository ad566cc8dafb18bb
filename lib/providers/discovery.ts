// OpenID Connect discovery for the providers whose endpoints are not written in their definition
// (the generic issuer): looked up when the server starts, kept for the process, and looked up again
// while it fails. A provider whose issuer was never found is left out of the configured providers,
// so the app starts, and runs, with its other providers.
import "server-only";
import * as oauth from "oauth4webapi";
import { isHttpsOrLoopback } from "../https-or-loopback";
import { log } from "../log";
import { describeError } from "../result";
import { PROVIDER_TIMEOUT_MS } from "./standard";
import type { ProviderEndpoints } from "./types";

/** A failed discovery is tried again on the first use of the providers this long after it. */
export const DISCOVERY_RETRY_MS = 30_000;

/** What discovery found at an issuer: the endpoints we use, or why the issuer cannot be used. */
export type Discovery = { ok: true; endpoints: ProviderEndpoints } | { ok: false; problem: string };

type Lookup = { provider: string; discovery?: Discovery; triedAt?: number; pending?: Promise<Discovery> };

type Store = { lookups: Map<string, Lookup>; version: number };

// On globalThis: Next.js may load this module more than once in one server (instrumentation, routes,
// the proxy), and a lookup made at the start must serve them all.
const store: Store = ((globalThis as { __oidcDiscovery?: Store }).__oidcDiscovery ??= {
  lookups: new Map(),
  version: 0,
});

/** Reads `<issuer>/.well-known/openid-configuration` and checks it; never throws. */
export async function discoverIssuer(issuer: string): Promise<Discovery> {
  const expected = new URL(issuer);
  let response: Response;
  try {
    response = await oauth.discoveryRequest(expected, {
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      // Plain http is only ever loopback: lib/env.ts refuses any other http issuer.
      [oauth.allowInsecureRequests]: expected.protocol === "http:",
    });
  } catch (error) {
    // fetch says only "fetch failed"; its cause has the reason (ECONNREFUSED, ENOTFOUND…).
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
    const why = cause?.code ?? cause?.message;
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${PROVIDER_TIMEOUT_MS / 1000} s`
        : `${describeError(error)}${typeof why === "string" ? `: ${why}` : ""}`;
    return { ok: false, problem: `did not answer (${reason})` };
  }
  if (response.status !== 200) return { ok: false, problem: `answered ${response.status} for its discovery document` };
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(expected, response);
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const named = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
      return { ok: false, problem: `its discovery document names another issuer (${String(named)}): refused` };
    }
    return { ok: false, problem: `its discovery document is unusable (${describeError(error)})` };
  }
  // What Auth.js and the token core need; each endpoint https: (or loopback), as the issuer is.
  const needed = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"] as const;
  for (const name of needed) {
    const url = metadata[name];
    if (typeof url !== "string") return { ok: false, problem: `its discovery document has no ${name}` };
    if (!isHttpsOrLoopback(url)) return { ok: false, problem: `its ${name} is not https: (${url})` };
  }
  const revocation = metadata.revocation_endpoint;
  if (revocation !== undefined && !isHttpsOrLoopback(revocation)) {
    return { ok: false, problem: `its revocation_endpoint is not https: (${revocation})` };
  }
  return {
    ok: true,
    endpoints: {
      issuer: metadata.issuer,
      authorization: metadata.authorization_endpoint!,
      token: metadata.token_endpoint!,
      ...(revocation ? { revocation } : {}),
      api: metadata.userinfo_endpoint!,
    },
  };
}

/** Looks `issuer` up now (or joins the lookup under way), and keeps the answer; one log line if it fails. */
function lookUp(issuer: string, provider: string): Promise<Discovery> {
  const lookup = store.lookups.get(issuer) ?? { provider };
  store.lookups.set(issuer, lookup);
  lookup.pending ??= discoverIssuer(issuer).then((discovery) => {
    const before = lookup.discovery;
    lookup.discovery = discovery;
    lookup.triedAt = Date.now();
    lookup.pending = undefined;
    if (discovery.ok) {
      store.version += 1;
      if (before && !before.ok) log.info("provider.discovered", { provider, reason: `${issuer} answers again` });
    } else if (!before || before.ok || before.problem !== discovery.problem) {
      // Once per problem, not at every retry.
      log.warn("provider.discovery_failed", {
        provider,
        reason: `${issuer} ${discovery.problem}; ${provider} is left out until it answers (tried again every ${DISCOVERY_RETRY_MS / 1000} s while the app is used)`,
      });
    }
    return discovery;
  });
  return lookup.pending;
}

/** Looks up every issuer in `issuers` (provider id → issuer URL) and waits for the answers: the server's start. */
export async function discoverAll(issuers: readonly { provider: string; issuer: string }[]): Promise<void> {
  await Promise.all(issuers.map(({ provider, issuer }) => lookUp(issuer, provider)));
}

/**
 * The endpoints found at `issuer`, or undefined while it has not been found. An issuer that failed
 * is looked up again in the background, at the first call DISCOVERY_RETRY_MS or more after the
 * failure. One never looked up (discoverAll was not called for it) stays undefined.
 */
export function discoveredEndpoints(issuer: string): ProviderEndpoints | undefined {
  const lookup = store.lookups.get(issuer);
  if (!lookup?.discovery) return undefined;
  if (lookup.discovery.ok) return lookup.discovery.endpoints;
  const due = Date.now() - (lookup.triedAt ?? 0) >= DISCOVERY_RETRY_MS;
  if (due && !lookup.pending) void lookUp(issuer, lookup.provider);
  return undefined;
}

/** `version` changes each time an issuer is found; `failing` says some issuer is waiting to be looked up again. */
export function discoveryState(): { version: number; failing: boolean } {
  const failing = [...store.lookups.values()].some((lookup) => lookup.discovery && !lookup.discovery.ok);
  return { version: store.version, failing };
}
