import "server-only";
import { getDb } from "../db";
import { failure, type Failure, type Result } from "../result";
import { findProvider, getConfiguredProviders, grantIncludes, type ProviderId } from "../providers";
import { connectUrl } from "./connect-url";
import { refreshAccessToken, usableToken } from "./refresh";

export type AccessTokenErrorCode = "not_linked" | "missing_scopes" | "reconnect_required" | "provider_unavailable";

/** How the user can fix a failure: where to send them (link, reconnect, grant more scopes). */
export type AccessTokenFix = { missingScopes?: string[]; reconnectUrl?: string };

/** Show users `connectedAccountErrorText(code)` (./errors.ts); `detail` is for logs. */
export type AccessTokenError = Failure<AccessTokenErrorCode, AccessTokenFix>;

export type AccessToken = {
  accessToken: string;
  expiresAt: Date | null;
  scopes: string[];
  accountId: string;
  providerAccountId: string;
};

export type AccessTokenResult = Result<AccessToken, AccessTokenErrorCode, AccessTokenFix>;

export type AccessTokenRequest = {
  provider: ProviderId;
  /** Which of several linked accounts of this provider; the oldest one when omitted. */
  providerAccountId?: string;
  /** Scopes the caller needs; the result is `missing_scopes` if the grant lacks any. */
  scopes?: readonly string[];
  /** A token the provider just answered 401 to: get a new one even if it looks valid. */
  rejectedAccessToken?: string;
};

/**
 * A valid access token for the user's linked account, or a typed reason why there is none.
 * Never throws for these cases; refreshes at most once per account across processes.
 */
export async function getAccessToken(userId: string, request: AccessTokenRequest): Promise<AccessTokenResult> {
  const { provider: providerId, providerAccountId, scopes = [], rejectedAccessToken } = request;
  const provider = findProvider(getConfiguredProviders(), providerId);
  const fix = (extraScopes: readonly string[] = scopes) => connectUrl(providerId, extraScopes);
  if (!provider) {
    return failure("not_linked", `provider ${providerId} is not configured`);
  }

  const row = await getDb().account.findFirst({
    where: { userId, provider: providerId, ...(providerAccountId ? { providerAccountId } : {}) },
    orderBy: { createdAt: "asc" },
  });
  if (!row) {
    return failure("not_linked", `no ${providerId} account linked`, { reconnectUrl: fix() });
  }
  if (row.status === "needs_reconnect") {
    return failure("reconnect_required", "the grant was revoked or expired", { reconnectUrl: fix() });
  }
  const missingScopes = scopes.filter((scope) => !grantIncludes(provider, row.grantedScopes, scope));
  if (missingScopes.length > 0) {
    return failure("missing_scopes", `not granted: ${missingScopes.join(" ")}`, {
      missingScopes,
      reconnectUrl: fix(missingScopes),
    });
  }

  const token = usableToken(row, { rejectedAccessToken });
  const result = token
    ? { ok: true as const, token }
    : await refreshAccessToken(row.id, provider, { rejectedAccessToken });
  if (!result.ok) {
    const { code, detail } = result.error;
    return failure(code, detail, code === "provider_unavailable" ? {} : { reconnectUrl: fix() });
  }
  return {
    ok: true,
    accessToken: result.token.accessToken,
    expiresAt: result.token.expiresAt === null ? null : new Date(result.token.expiresAt * 1000),
    scopes: result.token.scopes,
    accountId: row.id,
    providerAccountId: row.providerAccountId,
  };
}
