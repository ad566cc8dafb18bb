import "server-only";
import {
  findProvider,
  getConfiguredProviders,
  PROVIDER_TIMEOUT_MS,
  type ConfiguredProvider,
  type ProviderId,
} from "../providers";
import type { Failure, Result } from "../result";
import { issueAccessToken, type AccessTokenErrorCode, type AccessTokenFix } from "./access-token";
import { parseClaimsRequest } from "./connect";
import { connectUrl } from "./connect-url";
import { forgetGrantedScopes } from "./granted-scopes";

/** The longest a call waits for a provider's Retry-After; a longer wait is answered as a failure. */
export const RETRY_AFTER_CAP_MS = 5_000;

/** Retry-After missing or unreadable: wait this long before the one retry. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

export type FetchAsAccount = {
  provider: ProviderId;
  /** Which of several linked accounts of this provider; the oldest one when omitted. */
  providerAccountId?: string;
  /** Scopes the call needs: checked against the grant before the call. */
  scopes: readonly string[];
  /** What the call is for, in a word the user knows ("Drive"): the page shows it as the account's last use. */
  feature: string;
};

export type FetchAsFix = AccessTokenFix & {
  /**
   * Set when the provider's answer, not the stored grant, was the trouble: its HTTP status, or 0
   * when it did not answer in time.
   */
  providerStatus?: number;
  /** With providerStatus: the account that made the call. */
  accountId?: string;
  /** Rate limited for longer than a call waits: when the provider would take the call again. */
  retryAfterSeconds?: number;
  /**
   * The provider's claims challenge (`401 … error="insufficient_claims", claims="…"`: Entra's
   * Continuous Access Evaluation), decoded: the user must sign in again with these claims, which
   * `reconnectUrl` carries. No refresh answers it.
   */
  claimsChallenge?: string;
};

export type FetchAsError = Failure<AccessTokenErrorCode, FetchAsFix>;

/** The provider's answer (never the token), and which account made the call. */
export type FetchAsResult = Result<
  { response: Response; accountId: string; providerAccountId: string },
  AccessTokenErrorCode,
  FetchAsFix
>;

/**
 * Calls a provider's API as the user's linked account: the one way the app talks to a provider on
 * a user's behalf.
 * - The token goes on the request's Authorization header; it is never returned or logged.
 * - A 401 (token revoked or expired early) forces one refresh and one retry; a 401 with a claims
 *   challenge (`error="insufficient_claims"`) is `reconnect_required` with the claims at once: a
 *   refresh would not answer it, so refreshing again and again would only loop.
 * - A 429 is retried once after its Retry-After, if that is at most RETRY_AFTER_CAP_MS.
 * - A 403 insufficient_scope becomes `missing_scopes`, and the record forgets those scopes.
 * - No answer, or a 5xx, is `provider_unavailable`.
 * - A 2xx answer is a use of the account, for `feature`. Other answers are the caller's to read.
 */
export async function fetchAs(
  userId: string,
  account: FetchAsAccount,
  request: Request | string | URL,
): Promise<FetchAsResult> {
  const original = request instanceof Request ? request : new Request(request);
  const { provider, providerAccountId, scopes, feature } = account;
  const tokenRequest = { provider, providerAccountId, scopes, feature };

  let token = await issueAccessToken(userId, tokenRequest);
  if (!token.ok) return token;
  const { accountId } = token;
  const failed = (providerStatus: number, error: FetchAsError): { ok: false; error: FetchAsError } => ({
    ok: false,
    error: { ...error, providerStatus, accountId },
  });
  const rateLimited = (waitMs: number) => {
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    const detail = `${provider} is rate limiting; retry after ${retryAfterSeconds} s`;
    return failed(429, { code: "provider_unavailable", detail, retryAfterSeconds });
  };

  let response = await send(original, token.accessToken);
  const challenge = response?.status === 401 ? claimsChallenge(response) : undefined;
  if (challenge) {
    return failed(401, {
      code: "reconnect_required",
      detail: `${provider} asks the user to sign in again (claims challenge)`,
      claimsChallenge: challenge,
      reconnectUrl: connectUrl(provider, scopes, challenge),
    });
  }
  if (response?.status === 401) {
    token = await issueAccessToken(userId, { ...tokenRequest, rejectedAccessToken: token.accessToken });
    if (!token.ok) return token;
    response = await send(original, token.accessToken);
  }
  if (response?.status === 429) {
    const waitMs = retryAfterMs(response.headers.get("retry-after"));
    if (waitMs > RETRY_AFTER_CAP_MS) return rateLimited(waitMs);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    response = await send(original, token.accessToken);
    if (response?.status === 429) return rateLimited(retryAfterMs(response.headers.get("retry-after")));
  }

  if (!response) return failed(0, { code: "provider_unavailable", detail: `${provider} did not answer` });
  const { status } = response;
  if (status >= 500) return failed(status, { code: "provider_unavailable", detail: `${provider} answered ${status}` });
  if (status === 401) {
    return failed(status, {
      code: "reconnect_required",
      detail: `${provider} rejected a fresh token`,
      reconnectUrl: connectUrl(provider),
    });
  }
  const definition = findProvider(getConfiguredProviders(), provider);
  if (status === 403 && definition && (await lacksScope(definition, response))) {
    // Our record said granted, the provider says not (e.g. access removed at the provider):
    // correct the record and ask again.
    await forgetGrantedScopes(definition, accountId, scopes);
    return failed(status, {
      code: "missing_scopes",
      detail: `${provider} reports insufficient scopes`,
      missingScopes: [...scopes],
      reconnectUrl: connectUrl(provider, scopes),
    });
  }
  // Only an answered call is a use: a call the provider refused is not "last used by" anything.
  if (response.ok) await token.noteUse();
  return { ok: true, response, accountId, providerAccountId: token.providerAccountId };
}

/** Sends a copy of `request` with the token; undefined when the provider did not answer in time. */
async function send(request: Request, accessToken: string): Promise<Response | undefined> {
  const copy = request.clone();
  copy.headers.set("authorization", `Bearer ${accessToken}`);
  try {
    return await fetch(copy, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(PROVIDER_TIMEOUT_MS)]) });
  } catch {
    return undefined;
  }
}

/**
 * A 403 for a missing scope: `WWW-Authenticate: Bearer error="insufficient_scope"` (RFC 6750), or
 * the provider's own words in the body (`scopeRefusedInBody`).
 */
async function lacksScope(provider: ConfiguredProvider, response: Response): Promise<boolean> {
  if (/error="?insufficient_scope/.test(response.headers.get("www-authenticate") ?? "")) return true;
  if (!provider.scopeRefusedInBody) return false;
  const body = await response
    .clone()
    .text()
    .catch(() => "");
  return provider.scopeRefusedInBody(body);
}

/**
 * The claims a 401's `WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64 JSON>"`
 * asks for, as a `claims` request the connect flow accepts; undefined for any other 401.
 */
function claimsChallenge(response: Response): string | undefined {
  const header = response.headers.get("www-authenticate") ?? "";
  if (!/error="?insufficient_claims/.test(header)) return undefined;
  const encoded = /claims="([^"]+)"/.exec(header)?.[1];
  if (!encoded) return undefined;
  const parsed = parseClaimsRequest(Buffer.from(encoded, "base64").toString("utf8"));
  return parsed.ok ? parsed.claims : undefined;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | null): number {
  if (header === null || header.trim() === "") return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - Date.now());
}
