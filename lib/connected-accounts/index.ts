// The token core's public names: everything outside this folder imports from here (ESLint enforces
// it for app/, components/, lib/, scripts/ and tests; only the benchmarks measure insides). The
// other modules here are its insides (refresh, lease, token crypto, provider grants).
//
// For the app and for forkers:
// - getAccessToken, fetchAs and their result types: the one way to use an account's token.
// - connect*/parse*Scopes/reauthenticationParams, connectUrl, afterConnectUrl, CONNECTED_ACCOUNTS_PAGE:
//   starting a link or a grant, and coming back.
// - listConnectedAccounts, accountHealth/accountName/reconnectDeadline: the page and the JSON list.
// - onConnectionEvent, recentEvents, ConnectionEvent(Type), CONNECTION_EVENT_TYPES, EventCause: what
//   happened to an account, for hooks and the activity shown on cards.
// - activeNotices, dismissNotice, registerConnectionHooks: the notices under the header.
// - sweepDueAccounts, webhookEventTypes: the worker and the cron route (KEEP_ALIVE_DAYS: how often it renews any grant). unlinkAccount: disconnecting.
//
// For the rest of lib/, which changes accounts on the core's terms:
// - recordSignIn, createLinkedAccount, recordAccountProfile: Auth.js's adapter and callbacks link.
// - changeWithEvents: a change and its events in one transaction (sign-in, passkeys, receivers).
// - markRevoked, readableToken: applying a provider's security notice (lib/providers/google/receiver, lib/providers/github/receiver).
// - isEventCause: reading a stored cause (lib/words, lib/webhooks).
// For the tooling: accountsWithUnreadableGrants (`npm run dev` warns when the encryption key
// changed) and reencryptAllTokens (`npm run tokens:reencrypt`).
export {
  getAccessToken,
  type AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenFix,
  type AccessTokenResult,
} from "./access-token";
export { fetchAs, type FetchAsResult } from "./fetch-as";
export {
  connectAuthorizationParams,
  parseClaimsRequest,
  parseGrantableScopes,
  parseRequestedScopes,
  reauthenticationParams,
} from "./connect";
export { afterConnectUrl, CONNECTED_ACCOUNTS_PAGE, connectUrl } from "./connect-url";
export {
  accountHealth,
  accountName,
  reconnectDeadline,
  listConnectedAccounts,
  type AccountHealth,
  type ConnectedAccountSummary,
} from "./list";
export {
  changeWithEvents,
  onConnectionEvent,
  recentEvents,
  webhookEventTypes,
  type ConnectionEvent,
  type NewConnectionEvent,
  type RecordEvent,
} from "./events";
export { CONNECTION_EVENT_TYPES, isEventCause, type ConnectionEventType, type EventCause } from "./event-types";
export { activeNotices, dismissNotice, registerConnectionHooks } from "./connection-notices";
export { KEEP_ALIVE_DAYS, sweepDueAccounts, type SweepReport } from "./sweep";
export { unlinkAccount, type UnlinkErrorCode } from "./unlink";
export { createLinkedAccount, recordAccountProfile, recordSignIn } from "./record-sign-in";
export { markRevoked } from "./provider-notices";
export { readableToken } from "./sealed-tokens";
export { type UnreadableReason } from "./token-crypto";
export { accountsWithUnreadableGrants } from "./unreadable-grants";
export { reencryptAllTokens } from "./reencrypt";
