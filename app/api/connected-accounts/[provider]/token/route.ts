import { z } from "zod";
import { accountName, getAccessToken, parseRequestedScopes } from "@/lib/connected-accounts";
import { errorResponse, headNotAllowed, jsonResponse, withUser } from "@/lib/http";
import { isProviderId } from "@/lib/providers";

export const dynamic = "force-dynamic";

const tokenQuery = z.object({
  scopes: z
    .string()
    .optional()
    .transform((value, context) => {
      const requested = parseRequestedScopes(value ?? null);
      if (requested.ok) return requested.scopes;
      context.addIssue({ code: "custom", message: "not a list of scopes" });
      return z.NEVER;
    }),
  providerAccountId: z.string().optional(),
});

/**
 * GET /api/connected-accounts/{provider}/token?scopes=a%20b&providerAccountId=…
 * A Clerk-shaped `oauth_access_token` for the signed-in user, or the typed error.
 */
export const GET = withUser(
  { query: tokenQuery, rateLimit: "token" },
  async (_request, { user, query }, { params }: { params: Promise<{ provider: string }> }) => {
    const { provider } = await params;
    if (!isProviderId(provider)) return errorResponse("not_linked");

    const result = await getAccessToken(user.id, {
      provider,
      providerAccountId: query.providerAccountId,
      scopes: query.scopes,
    });
    if (!result.ok) {
      const { code, detail, missingScopes, reconnectUrl } = result.error;
      return errorResponse(code, { missingScopes, reconnectUrl }, { provider, userId: user.id, reason: detail });
    }
    return jsonResponse({
      object: "oauth_access_token",
      external_account_id: result.accountId,
      provider_user_id: result.providerAccountId,
      token: result.accessToken,
      expires_at: result.expiresAt ? Math.floor(result.expiresAt.getTime() / 1000) : null,
      provider: `oauth_${provider}`,
      // What the account's card shows: its name, and its public profile fields.
      public_metadata: { email: result.email, display_name: result.displayName, avatar_url: result.avatarUrl },
      label: accountName(result),
      scopes: result.scopes,
    });
  },
);

/** Not the GET handler, which Next.js would run for a HEAD. */
export const HEAD = headNotAllowed();
