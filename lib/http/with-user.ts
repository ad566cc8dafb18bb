import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { requireUser, signedInUser, type SignedInUser } from "../auth/require-user";
import { takeRateLimit, type RateLimitBucket } from "../rate-limit";
import { fieldsByName } from "../request-fields";
import { answeringDatabaseOutages, errorResponse, rateLimitedResponse } from "./responses";

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
