import "server-only";
import * as oauth from "oauth4webapi";
import { clientAuthentication, PROVIDER_TIMEOUT_MS, type ConfiguredProvider, type GrantEnd } from "../providers";
import { describeError, failure, type Result } from "../result";
import type { TokenResponseFields } from "./token-response";

export type { GrantEnd, GrantEndReason } from "../providers";

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
 * Refresh-grant errors that mean "this refresh token will never work again", and why: the
 * provider's own first (its `grantEnd`), then RFC 6749's `invalid_grant` and `unauthorized_client`.
 */
export function grantEnd(
  provider: Pick<ConfiguredProvider, "grantEnd">,
  error: string,
  errorSubtype?: string,
  answer?: Readonly<Record<string, unknown>>,
): GrantEnd | undefined {
  const own = provider.grantEnd?.(error, errorSubtype, answer);
  if (own) return own;
  const subtype = errorSubtype ? { errorSubtype } : {};
  switch (error) {
    case "invalid_grant":
      return { reason: "expired_or_revoked", error, ...subtype };
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
    as: provider.authorizationServer?.(provider) ?? {
      issuer: provider.urls.issuer,
      token_endpoint: provider.urls.token,
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
      clientAuthentication(provider),
      refreshToken,
      requestOptions(provider),
    );
  } catch (error) {
    return failure("provider_unavailable", `token endpoint unreachable: ${describe(error)}`, {
      unavailable: "provider_unreachable" as const,
    });
  }

  // Some providers (GitHub) report errors with HTTP 200 and an `error` field; look before oauth4webapi does.
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  const errorCode = stringField(body, "error");
  const answer = body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  const ended = errorCode ? grantEnd(provider, errorCode, stringField(body, "error_subtype"), answer) : undefined;
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
        ? grantEnd(provider, error.error, stringField(error.cause, "error_subtype"))
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
  const { revocation } = provider;
  if (revocation.token === "none") return failure("revocation_failed", "the provider has no revocation endpoint");
  try {
    const response = await revocation.revoke(provider, token, AbortSignal.timeout(PROVIDER_TIMEOUT_MS));
    if (response.ok) return { ok: true };
    return failure("revocation_failed", `revocation endpoint answered ${response.status}`);
  } catch (error) {
    return failure("revocation_failed", describe(error));
  }
}
