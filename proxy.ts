import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { getConfiguredProviders } from "@/lib/providers";
import { securityHeaders } from "@/lib/security-headers";

let authorizationOrigins: string[] | undefined;

/** Adds the security headers, with a fresh script nonce, to every page and API response. */
export function proxy(request: NextRequest) {
  authorizationOrigins ??= getConfiguredProviders().map((provider) => new URL(provider.urls.authorization).origin);
  const headers = securityHeaders({
    nonce: randomBytes(16).toString("base64"),
    development: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:" || Boolean(getEnv().AUTH_URL?.startsWith("https:")),
    formActionOrigins: authorizationOrigins,
  });
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
