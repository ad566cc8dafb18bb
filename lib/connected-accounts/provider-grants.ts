import "server-only";
import * as oauth from "oauth4webapi";
import { PROVIDER_TIMEOUT_MS, type ConfiguredProvider } from "../providers";
import { describeError, failure, type Result } from "../result";
import type { TokenResponseFields } from "./token-response";

/**
 * Why a provider says a refresh token will never work again, as precisely as it says:
 * - `expired_or_revoked`: the plain case (revoked by the user, unused too long, over the provider's
 *   count of live tokens, a "Testing" app's 7 days, rotated away): Google `invalid_grant`, GitHub
 *   `bad_refresh_token`. A new consent helps.
 * - `reauth_required`: Google Workspace session control (`invalid_grant` with `error_subtype:
 *   "invalid_rapt"`): the user must sign in to Google again; a new consent helps.
 * - `admin_policy_enforced`: a Workspace administrator blocks this app (or these scopes) for the
 *   account: reconnecting fails too until the administrator allows it.
 * - `client_unauthorized`: `unauthorized_client`, the OAuth client may not use this grant.
 */
export type GrantEndReason = "expired_or_revoked" | "reauth_required" | "admin_policy_enforced" | "client_unauthorized";

/** What the provider said when it refused a refresh token for good (for wording, logs and events; never a token). */
export type GrantEnd = { reason: GrantEndReason; error: string; errorSubtype?: string };

/**
 * `invalid_grant`: the refresh token is dead (revoked, expired, rotated away, refused by policy),
 * only a new consent helps; `grantEnd` says why. `provider_unavailable`: the provider could not
 * answer usefully now (5xx, timeout, garbage).
 */
export type RefreshGrantResult = Result<
  { tokens: TokenResponseFields },
  "invalid_grant" | "provider_unavailable",
  { grantEnd?: GrantEnd; unavailable?: ProviderUnavailable }
>;

/** How a provider could not be used: no answer, an error answer, or an answer we could not use. */
export type ProviderUnavailable = "provider_unreachable" | "provider_error" | "provider_answer_unusable";

/**
 * Refresh-grant errors that mean "this refresh token will never work again", and why.
 * GitHub says bad_refresh_token (with HTTP 200); RFC 6749 providers say invalid_grant; Google adds
 * admin_policy_enforced, and an `error_subtype` to invalid_grant.
 */
export function grantEnd(error: string, errorSubtype?: string): GrantEnd | undefined {
  const subtype = errorSubtype ? { errorSubtype } : {};
  switch (error) {
    case "invalid_grant":
      return { reason: errorSubtype === "invalid_rapt" ? "reauth_required" : "expired_or_revoked", error, ...subtype };
    case "bad_refresh_token":
      return { reason: "expired_or_revoked", error, ...subtype };
    case "admin_policy_enforced":
      return { reason: "admin_policy_enforced", error, ...subtype };
    case "unauthorized_client":
      return { reason: "client_unauthorized", error, ...subtype };
    default:
      return undefined;
  }
}

/** A dead grant's failure: the provider's error (and subtype) in the detail, the reason typed. */
function deadGrant(end: GrantEnd) {
  const detail = end.errorSubtype ? `${end.error} (${end.errorSubtype})` : end.error;
  return failure("invalid_grant", detail, { grantEnd: end });
}

const stringField = (record: unknown, key: string): string | undefined =>
  record && typeof record === "object" && key in record ? String((record as Record<string, unknown>)[key]) : undefined;

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
    return failure("provider_unavailable", `token endpoint unreachable: ${describe(error)}`, {
      unavailable: "provider_unreachable" as const,
    });
  }

  // GitHub reports errors with HTTP 200 and an `error` field; look before oauth4webapi does.
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const errorCode = stringField(body, "error");
  const ended = errorCode ? grantEnd(errorCode, stringField(body, "error_subtype")) : undefined;
  if (ended) return deadGrant(ended);
  if (response.status >= 500 || errorCode) {
    return failure(
      "provider_unavailable",
      `token endpoint answered ${response.status}${errorCode ? ` ${errorCode}` : ""}`,
      response.status >= 400 ? { unavailable: "provider_error" as const } : {},
    );
  }

  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    return {
      ok: true,
      tokens: {
        ...tokens,
        refresh_token_expires_in: numberField(tokens, "refresh_token_expires_in"),
      },
    };
  } catch (error) {
    const ended =
      error instanceof oauth.ResponseBodyError
        ? grantEnd(error.error, stringField(error.cause, "error_subtype"))
        : undefined;
    if (ended) return deadGrant(ended);
    return failure("provider_unavailable", `unusable token response: ${describe(error)}`, {
      unavailable: "provider_answer_unusable" as const,
    });
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
