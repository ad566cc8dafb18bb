import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { isRecentlyVerified } from "@/lib/auth/recent-sign-in";
import { requireUser } from "@/lib/auth/require-user";
import { readAccountChange } from "@/lib/connected-accounts/account-change";
import { parseGrantableScopes } from "@/lib/connected-accounts/connect";
import { CONNECTED_ACCOUNTS_PAGE as PAGE } from "@/lib/connected-accounts/connect-url";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { disconnect, startAuthorization } from "../account-changes";

export const dynamic = "force-dynamic";

/**
 * GET /settings/connected-accounts/continue?change=<signed change>: where the confirmation of
 * /settings/verify comes back to, to carry out the link or unlink the user asked for. A GET that
 * changes something, so it takes only a change signed for this very session, and only once the
 * session has just been confirmed: a link from elsewhere carries neither.
 */
export async function GET(request: NextRequest) {
  const user = await requireUser(PAGE);
  const token = request.nextUrl.searchParams.get("change");
  const change = readAccountChange(user, token);
  if (!change) redirect(`${PAGE}?error=invalid_request`);
  if (!(await isRecentlyVerified(user.sessionId))) redirect(`/settings/verify?continue=${encodeURIComponent(token!)}`);

  if (change.kind === "unlink") redirect(`${PAGE}?error=${await disconnect(user, change.accountId)}`);
  const provider = findProvider(getConfiguredProviders(), change.provider);
  const scopes = provider && parseGrantableScopes(provider, change.scopes.join(" "));
  if (!provider || !scopes?.ok) redirect(`${PAGE}?error=invalid_request`);
  return startAuthorization(user, provider, scopes.scopes, "link");
}
