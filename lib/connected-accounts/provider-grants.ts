import "server-only";
import * as oauth from "oauth4webapi";
import type { ConfiguredProvider } from "../providers";
import type { TokenResponseFields } from "./token-response";

/** How long we wait for a provider's token or revocation endpoint before giving up. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export type RefreshGrantOutcome =
  | { kind: "tokens"; tokens: TokenResponseFields }
  /** The refresh token is dead (revoked, expired, rotated away): only a new consent helps. */
  | { kind: "invalid_grant"; error: string }
  /** The provider could not answer usefully right now (5xx, timeout, network, garbage). */
  | { kind: "unavailable"; reason: string };

// Refresh-grant errors that mean "this refresh token will never work again".
// GitHub says bad_refresh_token (with HTTP 200); RFC 6749 providers say invalid_grant.
const DEAD_GRANT_ERRORS = new Set(["invalid_grant", "bad_refresh_token", "unauthorized_client"]);

function endpoints(provider: ConfiguredProvider): { as: oauth.AuthorizationServer; client: oauth.Client } {
  return {
    as: {
      issuer: provider.urls.issuer,
      token_endpoint: provider.urls.token,
      revocation_endpoint: provider.urls.revocation,
    },
    client: { client_id: provider.clientId },
  };
}

function requestOptions(provider: ConfiguredProvider) {
  // Plain http is only ever the loopback sandbox: lib/env.ts refuses any other http issuer.
  return { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), [oauth.allowInsecureRequests]: provider.sandbox };
}

export async function refreshGrant(provider: ConfiguredProvider, refreshToken: string): Promise<RefreshGrantOutcome> {
  const { as, client } = endpoints(provider);
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(provider.clientSecret),
      refreshToken,
      requestOptions(provider),
    );
  } catch (error) {
    return { kind: "unavailable", reason: `token endpoint unreachable: ${describe(error)}` };
  }

  // GitHub reports errors with HTTP 200 and an `error` field; look before oauth4webapi does.
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const errorCode = body && typeof body === "object" && "error" in body ? String(body.error) : undefined;
  if (errorCode && DEAD_GRANT_ERRORS.has(errorCode)) return { kind: "invalid_grant", error: errorCode };
  if (response.status >= 500 || errorCode) {
    return { kind: "unavailable", reason: `token endpoint answered ${response.status}${errorCode ? ` ${errorCode}` : ""}` };
  }

  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return { kind: "tokens", tokens: { ...tokens, refresh_token_expires_in: numberField(tokens, "refresh_token_expires_in") } };
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && DEAD_GRANT_ERRORS.has(error.error)) {
      return { kind: "invalid_grant", error: error.error };
    }
    return { kind: "unavailable", reason: `unusable token response: ${describe(error)}` };
  }
}

function numberField(record: object, key: string): number | undefined {
  const value = (record as Record<string, unknown>)[key];
  return typeof value === "number" ? value : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === "TimeoutError" ? `no answer within ${PROVIDER_TIMEOUT_MS / 1000} s` : error.message;
  return String(error);
}

export type RevocationOutcome = { revoked: true } | { revoked: false; reason: string };

/** Revokes the grant behind `token` at the provider, so unlinking also ends the app's access there. */
export async function revokeGrant(provider: ConfiguredProvider, token: string): Promise<RevocationOutcome> {
  try {
    const response =
      provider.revocationStyle === "github-grant"
        ? await fetch(provider.urls.revocation.replace("{client_id}", encodeURIComponent(provider.clientId)), {
            method: "DELETE",
            headers: {
              authorization: `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString("base64")}`,
              accept: "application/vnd.github+json",
              "content-type": "application/json",
            },
            body: JSON.stringify({ access_token: token }),
            signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
          })
        : await oauth.revocationRequest(
            endpoints(provider).as,
            endpoints(provider).client,
            oauth.ClientSecretPost(provider.clientSecret),
            token,
            requestOptions(provider),
          );
    if (response.ok) return { revoked: true };
    return { revoked: false, reason: `revocation endpoint answered ${response.status}` };
  } catch (error) {
    return { revoked: false, reason: describe(error) };
  }
}
