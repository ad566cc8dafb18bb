import "server-only";
import { answeringDatabaseOutages } from "../http/responses";
import { appOrigin } from "./endpoints";

// MCP clients that run in a browser (the MCP Inspector, web agents) call discovery, registration,
// the token endpoint and /mcp from their own origin. None of these reads a cookie: the bearer
// token or the PKCE verifier is the credential, so any origin may call them.
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
  "access-control-allow-headers": "authorization, content-type, mcp-protocol-version, mcp-session-id, last-event-id",
  "access-control-expose-headers": "www-authenticate, mcp-session-id, mcp-protocol-version",
  "access-control-max-age": "600",
};

/**
 * A route handler of the authorization server or of /mcp: the app's origin handed in, CORS
 * headers on every answer, "no-store" (tokens must not be cached), and a database outage answered 503.
 */
export function agentRoute(handler: (request: Request, origin: string) => Promise<Response>) {
  return answeringDatabaseOutages(async (request: Request) => {
    const response = await handler(request, appOrigin(request.url));
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    headers.set("cache-control", "no-store");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
}

/** The answer to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

/** An OAuth error body (RFC 6749 section 5.2). */
export function oauthError(status: number, error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status });
}

/** 429 in the same shape, saying when to try again. */
export function oauthRateLimited(description: string, retryAfterSeconds: number): Response {
  const response = oauthError(429, "rate_limited", description);
  response.headers.set("retry-after", String(retryAfterSeconds));
  return response;
}
