import { NextResponse, type NextRequest } from "next/server";
import { auth, signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/error-messages";
import { connectAuthorizationParams, parseRequestedScopes } from "@/lib/connected-accounts/connect";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { takeRateLimit } from "@/lib/rate-limit";

// GET /connect/{provider}?scopes=a%20b&returnTo=/path — starts linking (or re-consent, or
// granting more scopes) for the signed-in user. Only starts an authorization at the provider;
// the callback's state and PKCE checks bind the result to this browser.
export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: providerId } = await params;
  const returnTo = safeCallbackPath(request.nextUrl.searchParams.get("returnTo") ?? "/");
  const session = await auth();
  if (!session?.user?.id) {
    const back = `${request.nextUrl.pathname}${request.nextUrl.search}`;
    return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent(back)}`, request.nextUrl));
  }
  const limit = await takeRateLimit(session.user.id, "account_change");
  if (!limit.ok) {
    const page = new URL("/settings/connected-accounts?error=rate_limited", request.nextUrl);
    return NextResponse.redirect(page, { status: 303, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const provider = findProvider(getConfiguredProviders(), providerId);
  if (!provider) return NextResponse.json({ error: "unknown_provider" }, { status: 404 });
  const scopes = parseRequestedScopes(request.nextUrl.searchParams.get("scopes"));
  if (!scopes.ok) return NextResponse.json({ error: "invalid_scopes" }, { status: 400 });

  const authorizationParams = await connectAuthorizationParams(session.user.id, provider, scopes.scopes);
  await signIn(provider.id, { redirectTo: returnTo }, authorizationParams);
  return NextResponse.json({ error: "sign_in_did_not_redirect" }, { status: 500 });
}
