import type { SignInRefusal } from "../auth/sign-in-policy";
import type { AccessTokenErrorCode, UnlinkErrorCode } from "../connected-accounts";

/** Every error code a person or an API client can meet, mapped once to its HTTP status (its words: lib/words). */
export type ConnectedAccountErrorCode =
  | AccessTokenErrorCode
  | UnlinkErrorCode
  | SignInRefusal
  | "unauthenticated"
  | "invalid_request"
  | "rate_limited"
  | "method_not_allowed"
  | "database_unavailable";

const statuses: Record<ConnectedAccountErrorCode, number> = {
  not_linked: 404,
  missing_scopes: 403,
  reconnect_required: 409,
  provider_unavailable: 503,
  not_found: 404,
  last_sign_in_method: 409,
  unauthenticated: 401,
  invalid_request: 400,
  rate_limited: 429,
  method_not_allowed: 405,
  database_unavailable: 503,
  account_linked_elsewhere: 409,
  link_not_started: 409,
  different_account: 409,
  reauth_failed: 403,
  connect_only: 403,
  account_not_admitted: 403,
};

export function connectedAccountErrorStatus(code: ConnectedAccountErrorCode): number {
  return statuses[code];
}
