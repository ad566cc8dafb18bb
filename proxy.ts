import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { databaseFaultRecent, databaseStillDown, outagePage } from "@/lib/database-outage";
import { devAddressPage, devAddressRedirect } from "@/lib/dev-address";
import { OUTAGE_RETRY_SECONDS } from "@/lib/outage-words";
import { getEnv } from "@/lib/env";
import { getConfiguredProviders } from "@/lib/providers";
import { securityHeaders } from "@/lib/security-headers";

// Every post this app accepts (server actions, no-JS forms, Auth.js) carries a few short fields.
// Bigger ones are refused here with a 413; past this point Next.js would read up to 1 MB and
// answer 500. A body without a declared length (chunked) is refused too: no browser form sends one.
const MAX_POST_BODY_BYTES = 64 * 1024;

// Cross-site posts by design: providers may post their answer back (OIDC response_mode=form_post),
// and MCP clients in a browser call the agents' endpoints, which read no cookie (lib/agents/http.ts).
const CROSS_SITE_POSTS_ALLOWED = "/api/auth/callback/";
const CROSS_SITE_POST_PATHS = ["/oauth/token", "/oauth/register", "/oauth/revoke", "/mcp"];

/**
 * Posts (and any other unsafe method) Next.js would answer with a 500, or that should not get that
 * far: from another site (the comparison Next makes for server actions, Origin against the first
 * X-Forwarded-Host entry or Host, applied to every post, with or without JavaScript), or too big.
 */
function postRefusal(request: NextRequest): { status: number; message: string } | undefined {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return undefined;
  const path = request.nextUrl.pathname;
  if (path.startsWith(CROSS_SITE_POSTS_ALLOWED) || CROSS_SITE_POST_PATHS.includes(path)) return undefined;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== host)) {
    return { status: 403, message: "Posts from other sites are not accepted." };
  }
  const length = request.headers.get("content-length");
  if (length === null) return { status: 411, message: "A request body needs a Content-Length." };
  if (!/^\d+$/.test(length) || Number(length) > MAX_POST_BODY_BYTES)
    return { status: 413, message: "Request body too large." };
  return undefined;
}

/**
 * A page load while the database is known to be down: a document, or the router's request for one.
 * Not an API call (those answer their own 503) nor a file such as the icon (no database needed).
 */
async function pageDuringOutage(request: NextRequest): Promise<boolean> {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (request.nextUrl.pathname.startsWith("/api/")) return false;
  const forPage = request.headers.has("rsc") || (request.headers.get("accept") ?? "").includes("text/html");
  if (!forPage) return false;
  // The router prefetches the links on a page: no one asked for those, so they are not checked or logged.
  if (request.headers.has("next-router-prefetch")) return databaseFaultRecent();
  return databaseStillDown();
}

/**
 * Adds the security headers, with a fresh script nonce, to every page and API response, turns
 * away cross-site, oversized and chunked posts, and answers pages with a 503 during a database
 * outage (a page cannot set its own status: the first page to meet the outage renders it with 200).
 */
export async function proxy(request: NextRequest) {
  // Worked out each time: a provider found by discovery joins the list once its issuer answers.
  const authorizationOrigins = getConfiguredProviders().map((provider) => new URL(provider.urls.authorization).origin);
  const development = process.env.NODE_ENV === "development";
  const nonce = randomBytes(16).toString("base64");
  const headers = securityHeaders({
    nonce,
    development,
    https: request.nextUrl.protocol === "https:" || Boolean(getEnv().AUTH_URL?.startsWith("https:")),
    formActionOrigins: authorizationOrigins,
  });
  // http://127.0.0.1:3000 for http://localhost:3000: a sign-in would start on one and end on the other.
  const moved =
    development &&
    devAddressRedirect({
      method: request.method,
      host: request.headers.get("host"),
      pathAndQuery: `${request.nextUrl.pathname}${request.nextUrl.search}`,
      protocol: request.nextUrl.protocol,
      authUrl: getEnv().AUTH_URL,
    });
  if (moved) {
    return new NextResponse(devAddressPage(moved), {
      headers: { ...headers, "Content-Type": "text/html; charset=utf-8" },
    });
  }
  if (await pageDuringOutage(request)) {
    return new NextResponse(outagePage({ nonce }), {
      status: 503,
      headers: { ...headers, "Content-Type": "text/html; charset=utf-8", "Retry-After": String(OUTAGE_RETRY_SECONDS) },
    });
  }
  const refusal = postRefusal(request);
  if (refusal) {
    return new NextResponse(refusal.message, {
      status: refusal.status,
      headers: { ...headers, "Content-Type": "text/plain" },
    });
  }
  // Next.js takes the nonce for its own scripts from the request's policy.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static files are immutable and carry no page: they keep Next's own headers.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
