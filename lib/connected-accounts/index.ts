// The token core's public names; the other modules here are its insides (refresh, lease, token
// crypto, provider grants). Each name has a caller outside this folder:
// - getAccessToken and its result types: the one way to get a usable token (API route, demo).
// - connect*/parse*Scopes/reauthenticationParams, connectUrl, afterConnectUrl: starting a link or grant.
// - listConnectedAccounts, getConnectedAccount, accountHealth/accountName/reconnectDeadline: the page.
// - onConnectionEvent, recentEvents, ConnectionEvent(Type): what happened to an account, for hooks.
// - activeNotices, dismissNotice, registerConnectionHooks: the user's notices under the header.
// - sweepDueAccounts, SweepReport: the worker and the cron route. unlinkAccount: disconnecting.
export {
  getAccessToken,
  type AccessToken,
  type AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenFix,
  type AccessTokenResult,
} from "./access-token";
export { fetchAs, type FetchAsAccount, type FetchAsError, type FetchAsResult } from "./fetch-as";
export {
  connectAuthorizationParams,
  parseGrantableScopes,
  parseRequestedScopes,
  reauthenticationParams,
} from "./connect";
export {
  onConnectionEvent,
  recentEvents,
  type ConnectionEvent,
  type ConnectionEventHandler,
  type ScopeChange,
} from "./events";
export { CONNECTION_EVENT_TYPES, EVENT_CAUSES, type ConnectionEventType, type EventCause } from "./event-types";
export { afterConnectUrl, CONNECTED_ACCOUNTS_PAGE, connectUrl } from "./connect-url";
export {
  accountHealth,
  accountName,
  reconnectDeadline,
  getConnectedAccount,
  listConnectedAccounts,
  type AccountHealth,
  type ConnectedAccountSummary,
} from "./list";
export { activeNotices, dismissNotice, registerConnectionHooks, type ActiveNotice, type NoticeKind } from "./notices";
export { sweepDueAccounts, type SweepOptions, type SweepReport } from "./sweep";
export { unlinkAccount, type UnlinkErrorCode, type UnlinkResult } from "./unlink";
