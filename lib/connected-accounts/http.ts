import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { requireUser, signedInUser, type SignedInUser } from "../auth/require-user";
import { isDatabaseUnavailable } from "../database-fault";
import { logDatabaseFault } from "../db";
import { log, type LogFields } from "../log";
import { takeRateLimit, type RateLimitBucket } from "../rate-limit";
import { fieldsByName } from "../request-fields";
import { connectedAccountErrorStatus, connectedAccountErrorText, type ConnectedAccountErrorCode } from "./errors";

// How long a client should wait before trying again after a 503.
const RETRY_AFTER_SECONDS = "5";

// Token-bearing and per-user answers: never cached, never shared across origins (no CORS headers).
const NO_STORE = { "Cache-Control": "no-store, private", Vary: "Cookie" };

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
    response.headers.set("Retry-After", RETRY_AFTER_SECONDS);
  return response;
}

export function rateLimitedResponse(retryAfterSeconds: number): NextResponse {
  const response = errorResponse("rate_limited", { retryAfterSeconds });
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
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

type RouteOptions<Query extends z.ZodType> = {
  /** Every query parameter the route reads: a query this does not parse answers 400 invalid_request. */
  query: Query;
  rateLimit?: RateLimitBucket;
  /** For a route the browser navigates to: a signed-out visitor signs in and comes back here, not a 401. */
  signInReturnTo?: string;
};

/**
 * A route handler in the shape every route takes: the signed-in user (else 401), the rate limit
 * (else 429), the query validated (else 400), and a database outage answered 503, all in the one
 * error body of `errorResponse`.
 */
export function withUser<Query extends z.ZodType, Context>(
  options: RouteOptions<Query>,
  handler: (
    request: NextRequest,
    signedIn: { user: SignedInUser; query: z.infer<Query> },
    context: Context,
  ) => Promise<Response>,
): (request: NextRequest, context: Context) => Promise<Response> {
  return answeringDatabaseOutages(async (request: NextRequest, context: Context) => {
    const user = options.signInReturnTo ? await requireUser(options.signInReturnTo) : await signedInUser();
    if (!user) return errorResponse("unauthenticated");
    if (options.rateLimit) {
      const limit = await takeRateLimit(user.id, options.rateLimit);
      if (!limit.ok) return rateLimitedResponse(limit.error.retryAfterSeconds);
    }
    const query = options.query.safeParse(fieldsByName(request.nextUrl.searchParams));
    if (!query.success) return errorResponse("invalid_request");
    return handler(request, { user, query: query.data }, context);
  });
}
