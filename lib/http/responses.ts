import "server-only";
import { NextResponse } from "next/server";
import { isDatabaseUnavailable } from "../database-fault";
import { logDatabaseFault } from "../db";
import { log, type LogFields } from "../log";
import { OUTAGE_RETRY_SECONDS } from "../outage-words";
import { connectedAccountErrorText } from "../words";
import { connectedAccountErrorStatus, type ConnectedAccountErrorCode } from "./error-codes";

// The answers of every route, signed-in or not (webhook and notice receivers too); ./with-user.ts adds
// the signed-in user.

// Token-bearing and per-user answers: never cached, never shared across origins (no CORS headers).
export const NO_STORE = { "Cache-Control": "no-store, private", Vary: "Cookie" };

export function jsonResponse(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: NO_STORE });
}

/**
 * The one error body: `{ error: { code, message, ...extra } }`. `record` is what the body leaves out
 * (who, which account, the detail behind the code): it goes on the server's record instead.
 */
export function errorResponse(
  code: ConnectedAccountErrorCode,
  extra: Record<string, unknown> = {},
  record?: LogFields,
): NextResponse {
  if (record) log.warn("http.error_response", { ...record, code });
  const status = connectedAccountErrorStatus(code);
  const response = jsonResponse({ error: { code, message: connectedAccountErrorText(code), ...extra } }, status);
  if (code === "provider_unavailable" || code === "database_unavailable")
    response.headers.set("Retry-After", String(OUTAGE_RETRY_SECONDS));
  return response;
}

export function rateLimitedResponse(retryAfterSeconds: number): NextResponse {
  const response = errorResponse("rate_limited", { retryAfterSeconds });
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
}

/**
 * The HEAD handler of every route that has a GET: Next.js would answer HEAD by running the GET
 * handler, which here does something (runs the sweep, starts a link, reads or refreshes a token).
 * `allow`: the route's methods, for the Allow header.
 */
export function headNotAllowed(allow = "GET"): () => Promise<NextResponse> {
  return async () => {
    const response = errorResponse("method_not_allowed");
    response.headers.set("Allow", allow);
    return response;
  };
}

/**
 * `handler`, answering a database outage with 503 database_unavailable and Retry-After: not a bare
 * 500, and not the 401 an unreadable session would otherwise have become (lib/auth/session-read.ts).
 */
export function answeringDatabaseOutages<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logDatabaseFault(error);
      return errorResponse("database_unavailable");
    }
  };
}
