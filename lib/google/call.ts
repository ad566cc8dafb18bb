import "server-only";
import type { z } from "zod";
import { fetchAs, type AccessTokenError, type AccessTokenErrorCode, type AccessTokenFix } from "../connected-accounts";
// The module, not the entry point: the entry point also loads the HTTP helpers and with them
// lib/auth (next-auth), which this module's tests cannot load.
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
 * One GET to a Google API as the user's account, through fetchAs (which retries a 401 once and
 * turns a 403 insufficient_scope into `missing_scopes`, so the UI offers "Grant access").
 */
export async function callGoogle<Schema extends z.ZodType>(
  userId: string,
  request: GoogleRequest<Schema>,
): Promise<GoogleResult<z.infer<Schema>>> {
  const google = findProvider(getConfiguredProviders(), "google");
  if (!google) return failure("not_linked", "Google is not configured");

  const { path, scopes, feature } = request;
  const answer = await fetchAs(
    userId,
    { provider: "google", scopes, feature },
    new Request(`${google.urls.api}${path}`, { headers: { accept: "application/json" }, cache: "no-store" }),
  );
  // What went wrong at Google goes on record with the status and the path, never with Google's answer.
  const failed = (error: AccessTokenError, accountId?: string): { ok: false; error: AccessTokenError } => {
    const reason = `GET ${path.split("?")[0]}: ${error.detail}`;
    log.warn("google_api.failed", { provider: "google", accountId, userId, code: error.code, reason });
    return { ok: false, error };
  };
  if (!answer.ok) {
    // A failure of the stored grant (not linked, revoked) is the token core's to log.
    return answer.error.providerStatus === undefined ? answer : failed(answer.error, answer.error.accountId);
  }
  const { response, accountId } = answer;
  if (!response.ok) return failed(unavailable(`Google answered ${response.status}`), accountId);
  const parsed = request.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return failed(unavailable("Google's answer had an unexpected shape"), accountId);
  return { ok: true, data: parsed.data, use: { accountId, feature } };
}

function unavailable(detail: string): AccessTokenError {
  return { code: "provider_unavailable", detail };
}
