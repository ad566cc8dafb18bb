import type { NextRequest } from "next/server";
import { auth } from "@/lib/auth";
import { getAccessToken } from "@/lib/connected-accounts/access-token";
import { parseRequestedScopes } from "@/lib/connected-accounts/connect";
import { answeringDatabaseOutages, errorResponse, jsonResponse, rateLimitedResponse } from "@/lib/connected-accounts/http";
import { isProviderId } from "@/lib/providers";
import { takeRateLimit } from "@/lib/rate-limit";

export const dynamic = "force-dynamic";

/**
 * GET /api/connected-accounts/{provider}/token?scopes=a%20b&providerAccountId=…
 * A Clerk-shaped `oauth_access_token` for the signed-in user, or the typed error.
 */
export const GET = answeringDatabaseOutages(async (request: NextRequest, { params }: { params: Promise<{ provider: string }> }) => {
  const userId = (await auth())?.user?.id;
  if (!userId) return errorResponse("unauthenticated");
  const limit = await takeRateLimit(userId, "token");
  if (!limit.ok) return rateLimitedResponse(limit.retryAfterSeconds);
  const { provider } = await params;
  if (!isProviderId(provider)) return errorResponse("not_linked");
  const scopes = parseRequestedScopes(request.nextUrl.searchParams.get("scopes"));
  if (!scopes.ok) return errorResponse("invalid_request");
  const providerAccountId = request.nextUrl.searchParams.get("providerAccountId") ?? undefined;

  const result = await getAccessToken(userId, { provider, providerAccountId, scopes: scopes.scopes });
  if (!result.ok) {
    const { code, detail, missingScopes, reconnectUrl } = result.error;
    return errorResponse(code, { missingScopes, reconnectUrl }, { provider, userId, reason: detail });
  }
  return jsonResponse({
    object: "oauth_access_token",
    external_account_id: result.accountId,
    provider_user_id: result.providerAccountId,
    token: result.accessToken,
    expires_at: result.expiresAt ? Math.floor(result.expiresAt.getTime() / 1000) : null,
    provider: `oauth_${provider}`,
    public_metadata: {},
    label: null,
    scopes: result.scopes,
  });
});
