import "server-only";
import { AuthError } from "next-auth";
import { isDatabaseUnavailable } from "../database-fault";
import { logDatabaseFault } from "../db";
import { log } from "../log";

// Auth.js's own names for refusals a user can cause; each is explained on the page they land on.
const EXPECTED = new Set([
  "OAuthAccountNotLinked",
  "AccountNotLinked",
  "AccessDenied",
  "OAuthCallbackError",
  "Verification",
  "MissingCSRF",
  "InvalidCheck",
]);

/**
 * Auth.js's error logger: an expected refusal or a database outage is one line, anything else keeps
 * its stack and cause (Auth.js would print a stack trace of 25 lines for every refused sign-in).
 */
export function logAuthError(error: Error): void {
  if (isDatabaseUnavailable(error)) {
    logDatabaseFault(error);
    return;
  }
  if (error instanceof AuthError && EXPECTED.has(error.type)) {
    log.warn("auth.refused", { code: error.type, reason: error.message.split("\n")[0] });
    return;
  }
  log.error("auth.failed", { reason: error.message.split("\n")[0], cause: error });
}
