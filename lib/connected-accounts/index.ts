// The token core's public names; the other modules here are its insides (refresh, lease, token
// crypto, provider grants). Each name has a caller outside this folder:
// - getAccessToken and its result types: the one way to get a usable token (API route, demo).
// - connect*/parse*Scopes/reauthenticationParams, connectUrl, afterConnectUrl: starting a link or grant.
// - listConnectedAccounts, getConnectedAccount, accountHealth/accountName/reconnectDeadline: the page.
// - onConnectionEvent, recentEvents, ConnectionEvent(Type): what happened to an account, for hooks.
// - activeNotices, dismissNotice, registerConnectionHooks: the user's notices under the header.
// - sweepDueAccounts, SweepReport: the worker and the cron route. unlinkAccount: disconnecting.
// - errors.ts and activity.ts names: the words shown to people (moving to a words module).
export {
  getAccessToken,
  type AccessToken,
  type AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenFix,
  type AccessTokenResult,
} from "./access-token";
export {
  connectAuthorizationParams,
  parseGrantableScopes,
  parseRequestedScopes,
  reauthenticationParams,
} from "./connect";
export { onConnectionEvent, recentEvents, type ConnectionEvent, type ConnectionEventHandler } from "./events";
export { type ConnectionEventType } from "./event-types";
export { afterConnectUrl, CONNECTED_ACCOUNTS_PAGE, connectUrl } from "./connect-url";
export {
  connectedAccountErrorStatus,
  connectedAccountErrorText,
  errorTextFromUrl,
  grantNotice,
  noticeText,
  type ConnectedAccountErrorCode,
} from "./errors";
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
export { activeNotices, dismissNotice, registerConnectionHooks } from "./notices";
export { sweepDueAccounts, type SweepReport } from "./sweep";
export { unlinkAccount, type UnlinkErrorCode } from "./unlink";
