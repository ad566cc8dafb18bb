/**
 * Every event the log writes, with what it means. `log.info/warn/error` take only these names, so
 * this table is the list; docs/development.md's copy is generated from it (`npm run docs:generate`).
 */
export const LOG_EVENTS = {
  "account.marked_needs_reconnect": "a connected account's grant ended (refused refresh, or a provider notice)",
  "account.unlinked_not_revoked": "an account was removed here, but the provider did not confirm the revocation",
  "agent.refresh_reused": "an agent's refresh token was used twice: every token of that sign-in ended",
  "agent.refused": "an agent's authorization, token or MCP request was refused (the OAuth error in `code`)",
  "agent.registered": "an agent registered itself (RFC 7591 Dynamic Client Registration)",
  "auth.failed": "Auth.js failed in a way nobody anticipated (kept with its cause)",
  "auth.refused": "Auth.js refused a sign-in or a callback (its error type in `code`)",
  "connection_event.handler_failed": "an onConnectionEvent handler threw; the other handlers still ran",
  "database.unavailable": "PostgreSQL did not answer (once per outage)",
  "github_webhook.applied": "a github_app_authorization revocation was applied",
  "github_webhook.refused": "a GitHub webhook was refused (bad signature, not a revocation)",
  "github_webhook.replayed": "a GitHub webhook delivery seen before; nothing changed",
  "google_api.failed": "a Google API call failed (the demo)",
  "microsoft_graph.failed": "a Microsoft Graph call failed (the demo)",
  "http.error_response": "a route answered with an error body (who and why, which the body leaves out)",
  "passkey.counter_regressed": "a passkey's counter went back: a cloned authenticator; refused",
  "passkey.refused": "a passkey registration or confirmation was refused",
  "provider.discovered": "an issuer that discovery could not use answers again: its provider is offered again",
  "provider.discovery_failed":
    "an issuer's discovery document could not be read or was refused: its provider is left out (tried again while the app is used)",
  "risc.event_ignored": "a Cross-Account Protection event without a Google subject",
  "risc.event_noted": "a Cross-Account Protection event that changes nothing here, noted",
  "risc.receiver_unavailable": "the Cross-Account Protection receiver answered 503 (keys or the database unreachable)",
  "risc.token_applied": "a Cross-Account Protection security event token was applied",
  "risc.token_refused": "a security event token failed verification",
  "risc.token_replayed": "a security event token seen before (same jti); nothing changed",
  "risc.verification_received": "Google's verification event for the receiver arrived",
  "sign_in.not_saved": "the tokens of a sign-in could not be written; nobody is signed in",
  "sweep.done": "a background sweep renewed tokens (its tallies in the counts)",
  "sweep.failed": "a sweep pass of `npm run worker` failed; the next pass tries again",
  "sweep.hold_back_failed": "the sweep could not record when to retry a failed account",
  "token.refresh_failed": "a refresh failed; the tokens are untouched unless the grant ended",
  "token.refresh_failure_not_recorded": "a failed refresh could not be written to the account",
  "token.use_not_noted": "a token was handed out, but its last use was not written (the sweep's view is late)",
  "user.signed_out_everywhere": "every session of a user was deleted (a provider's notice)",
  "webhook.failed": "a webhook delivery failed; it is retried later",
  "webhook.gave_up": "a webhook delivery failed its last attempt; kept as failed",
  "webhook.not_recorded": "a webhook attempt's outcome could not be written",
  "webhooks.done": "webhooks were delivered (tallies in the counts)",
  "webhooks.failed": "a webhook pass of `npm run worker` failed; the next pass tries again",
} as const satisfies Record<string, string>;

export type LogEvent = keyof typeof LOG_EVENTS;
