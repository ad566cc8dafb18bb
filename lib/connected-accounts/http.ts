import "server-only";
import { NextResponse } from "next/server";
import { connectedAccountErrorStatus, connectedAccountErrorText, type ConnectedAccountErrorCode } from "./errors";

// Token-bearing and per-user answers: never cached, never shared across origins (no CORS headers).
const NO_STORE = { "Cache-Control": "no-store, private", Vary: "Cookie" };

export function jsonResponse(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: NO_STORE });
}

export function errorResponse(code: ConnectedAccountErrorCode, extra: Record<string, unknown> = {}): NextResponse {
  const status = connectedAccountErrorStatus(code);
  const response = jsonResponse({ error: { code, message: connectedAccountErrorText(code), ...extra } }, status);
  if (code === "provider_unavailable") response.headers.set("Retry-After", "5");
  return response;
}

export function rateLimitedResponse(retryAfterSeconds: number): NextResponse {
  const response = errorResponse("rate_limited", { retryAfterSeconds });
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
}
