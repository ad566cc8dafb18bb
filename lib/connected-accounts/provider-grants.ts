import "server-only";
import * as oauth from "oauth4webapi";
import type { ConfiguredProvider } from "../providers";
import { describeError, failure, type Result } from "../result";
import type { TokenResponseFields } from "./token-response";

/** How long we wait for a provider's token or revocation endpoint before giving up. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/**
 * `invalid_grant`: the refresh token is dead (revoked, expired, rotated away), only a new consent
 * helps. `provider_unavailable`: the provider could not answer usefully now (5xx, timeout, garbage).
 */
export type RefreshGrantResult = Result<{ tokens: TokenResponseFields }, "invalid_grant" | "provider_unavailable">;

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

export async function refreshGrant(provider: ConfiguredProvider, refreshToken: string): Promise<RefreshGrantResult> {
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
    return failure("provider_unavailable", `token endpoint unreachable: ${describe(error)}`);
  }

  // GitHub reports errors with HTTP 200 and an `error` field; look before oauth4webapi does.
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const errorCode = body && typeof body === "object" && "error" in body ? String(body.error) : undefined;
  if (errorCode && DEAD_GRANT_ERRORS.has(errorCode)) return failure("invalid_grant", errorCode);
  if (response.status >= 500 || errorCode) {
    return failure(
      "provider_unavailable",
      `token endpoint answered ${response.status}${errorCode ? ` ${errorCode}` : ""}`,
    );
  }

  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return {
      ok: true,
      tokens: { ...tokens, refresh_token_expires_in: numberField(tokens, "refresh_token_expires_in") },
    };
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && DEAD_GRANT_ERRORS.has(error.error)) {
      return failure("invalid_grant", error.error);
    }
    return failure("provider_unavailable", `unusable token response: ${describe(error)}`);
  }
}

function numberField(record: object, key: string): number | undefined {
  const value = (record as Record<string, unknown>)[key];
  return typeof value === "number" ? value : undefined;
}

/** describeError, with a provider's timeout in words. */
function describe(error: unknown): string {
  return error instanceof Error && error.name === "TimeoutError"
    ? `no answer within ${PROVIDER_TIMEOUT_MS / 1000} s`
    : describeError(error);
}

export type RevocationResult = Result<object, "revocation_failed">;

/** Revokes the grant behind `token` at the provider, so unlinking also ends the app's access there. */
export async function revokeGrant(provider: ConfiguredProvider, token: string): Promise<RevocationResult> {
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
    if (response.ok) return { ok: true };
    return failure("revocation_failed", `revocation endpoint answered ${response.status}`);
  } catch (error) {
    return failure("revocation_failed", describe(error));
  }
}
