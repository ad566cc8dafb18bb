import "server-only";
import type { z } from "zod";
import {
  getAccessToken,
  noteAccountUse,
  type AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenFix,
} from "../connected-accounts/access-token";
import { connectUrl } from "../connected-accounts/connect-url";
import { forgetGrantedScopes } from "../connected-accounts/granted-scopes";
import { PROVIDER_TIMEOUT_MS } from "../connected-accounts/provider-grants";
import { log } from "../log";
import { findProvider, getConfiguredProviders } from "../providers";
import { failure, type Result } from "../result";

/** The data, and which account it was read with, for what: the page shows that use on the account's card. */
export type GoogleResult<T> = Result<
  { data: T; use: { accountId: string; feature: string } },
  AccessTokenErrorCode,
  AccessTokenFix
>;

type GoogleRequest<Schema extends z.ZodType> = {
  /** Path under the Google API base, e.g. "/drive/v3/files?pageSize=5". */
  path: string;
  scopes: readonly string[];
  schema: Schema;
  /** Shown to the user as what last used the account, e.g. "Drive". */
  feature: string;
};

/**
 * One GET to a Google API with the user's stored token. A 401 (token revoked or expired early)
 * forces one refresh and one retry; a 403 insufficient_scope becomes `missing_scopes`, so the UI
 * offers "Grant access" rather than an error.
 */
export async function callGoogle<Schema extends z.ZodType>(
  userId: string,
  request: GoogleRequest<Schema>,
): Promise<GoogleResult<z.infer<Schema>>> {
  const google = findProvider(getConfiguredProviders(), "google");
  if (!google) return failure("not_linked", "Google is not configured");

  const { scopes, feature } = request;
  let token = await getAccessToken(userId, { provider: "google", scopes, noteUse: false });
  if (!token.ok) return token;
  let response = await get(`${google.urls.api}${request.path}`, token.accessToken);
  if (response?.status === 401) {
    token = await getAccessToken(userId, {
      provider: "google",
      scopes,
      noteUse: false,
      rejectedAccessToken: token.accessToken,
    });
    if (!token.ok) return token;
    response = await get(`${google.urls.api}${request.path}`, token.accessToken);
  }

  // What went wrong goes on record with the status and the path, never with Google's answer.
  const failed = (error: AccessTokenError): { ok: false; error: AccessTokenError } => {
    const reason = `GET ${request.path.split("?")[0]}: ${error.detail}`;
    log.warn("google_api.failed", { provider: "google", accountId: token.accountId, userId, code: error.code, reason });
    return { ok: false, error };
  };
  if (!response || response.status >= 500) {
    return failed(unavailable(response ? `Google answered ${response.status}` : "Google did not answer"));
  }
  if (response.status === 403 && /insufficient_scope/.test(response.headers.get("www-authenticate") ?? "")) {
    // Our record said granted, Google says not (e.g. access removed at Google): correct the
    // record and ask again.
    await forgetGrantedScopes(google, token.accountId, request.scopes);
    return failed({
      code: "missing_scopes",
      detail: "Google reports insufficient scopes",
      missingScopes: [...request.scopes],
      reconnectUrl: connectUrl("google", request.scopes),
    });
  }
  if (response.status === 401) {
    return failed({
      code: "reconnect_required",
      detail: "Google rejected a fresh token",
      reconnectUrl: connectUrl("google"),
    });
  }
  if (!response.ok) return failed(unavailable(`Google answered ${response.status}`));
  const parsed = request.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return failed(unavailable("Google's answer had an unexpected shape"));
  // Only now is it a use: a call Google refused (a withdrawn scope, say) is not "last used by" anything.
  await noteAccountUse({ id: token.accountId, provider: "google", lastUsedAt: null }, feature);
  return { ok: true, data: parsed.data, use: { accountId: token.accountId, feature } };
}

async function get(url: string, accessToken: string): Promise<Response | undefined> {
  try {
    return await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch {
    return undefined;
  }
}

function unavailable(detail: string): AccessTokenError {
  return { code: "provider_unavailable", detail };
}
