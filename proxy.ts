import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { getConfiguredProviders } from "@/lib/providers";
import { securityHeaders } from "@/lib/security-headers";

let authorizationOrigins: string[] | undefined;

// This app's server actions take a few short fields. Bigger posts are refused here with a 413;
// past this point Next.js would read up to 1 MB and answer 500.
const MAX_ACTION_BODY_BYTES = 64 * 1024;

/**
 * Server-action posts Next.js would refuse with a 500: from another site (Next's CSRF check, the
 * same comparison of Origin with the host), or too big. Refused here with a clear 4xx instead.
 */
function actionPostRefusal(request: NextRequest): { status: number; message: string } | undefined {
  if (request.method !== "POST" || !request.headers.has("next-action")) return undefined;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin !== null && (!URL.canParse(origin) || new URL(origin).host !== host)) {
    return { status: 403, message: "Posts from other sites are not accepted." };
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_ACTION_BODY_BYTES) {
    return { status: 413, message: "Request body too large." };
  }
  return undefined;
}

/**
 * Adds the security headers, with a fresh script nonce, to every page and API response, and
 * turns away cross-site and oversized server-action posts.
 */
export function proxy(request: NextRequest) {
  authorizationOrigins ??= getConfiguredProviders().map((provider) => new URL(provider.urls.authorization).origin);
  const headers = securityHeaders({
    nonce: randomBytes(16).toString("base64"),
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:" || Boolean(getEnv().AUTH_URL?.startsWith("https:")),
    formActionOrigins: authorizationOrigins,
  });
  const refusal = actionPostRefusal(request);
  if (refusal) {
    return new NextResponse(refusal.message, { status: refusal.status, headers: { ...headers, "Content-Type": "text/plain" } });
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
