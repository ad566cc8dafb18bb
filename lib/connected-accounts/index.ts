// What the app (app/, components/) may use of lib/connected-accounts; the other modules here are
// its insides (refresh, token crypto, provider grants).
export {
  getAccessToken,
  type AccessToken,
  type AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenFix,
  type AccessTokenResult,
} from "./access-token";
export { fetchAs, type FetchAsAccount, type FetchAsError, type FetchAsResult } from "./fetch-as";
export { readAccountChange, signAccountChange, spendAccountChange, type AccountChange } from "./account-change";
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
export { CONNECTION_EVENT_TYPES, type ConnectionEventType } from "./event-types";
export { afterConnectUrl, CONNECTED_ACCOUNTS_PAGE, connectUrl } from "./connect-url";
export {
  connectedAccountErrorStatus,
  connectedAccountErrorText,
  errorTextFromUrl,
  grantNotice,
  noticeText,
  type ConnectedAccountErrorCode,
} from "./errors";
export { withUser } from "./http";
export {
  answeringDatabaseOutages,
  errorResponse,
  headNotAllowed,
  jsonResponse,
  rateLimitedResponse,
} from "./responses";
export {
  accountHealth,
  accountName,
  reconnectDeadline,
  getConnectedAccount,
  listConnectedAccounts,
  type AccountHealth,
  type ConnectedAccountSummary,
} from "./list";
export { describeEvent, eventTone, exactTime, reconnectAdvice, relativeTime } from "./activity";
export { activeNotices, dismissNotice, registerConnectionHooks, type ActiveNotice, type NoticeKind } from "./notices";
export { sweepDueAccounts, type SweepOptions, type SweepReport } from "./sweep";
export { cronSweep } from "./sweep-cron";
export { unlinkAccount, type UnlinkErrorCode, type UnlinkResult } from "./unlink";
