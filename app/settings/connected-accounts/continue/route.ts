import { redirect } from "next/navigation";
import { z } from "zod";
import { isRecentlyVerified } from "@/lib/auth";
import {
  CONNECTED_ACCOUNTS_PAGE as PAGE,
  parseGrantableScopes,
  readAccountChange,
  withUser,
} from "@/lib/connected-accounts";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { signOutSessions } from "../../security/sign-out";
import { disconnect, startAuthorization } from "../account-changes";

export const dynamic = "force-dynamic";

/**
 * GET /settings/connected-accounts/continue?change=<signed change>: where the confirmation of
 * /settings/verify comes back to, to carry out the link, unlink or sign-out the user asked for. A GET that
 * changes something, so it takes only a change signed for this very session, and only once the
 * session has just been confirmed: a link from elsewhere carries neither.
 */
export const GET = withUser(
  { query: z.object({ change: z.string().optional() }), signInReturnTo: PAGE },
  async (_request, { user, query }) => {
    const token = query.change;
    const change = readAccountChange(user, token);
    if (!change || !token) redirect(`${PAGE}?error=invalid_request`);
    if (!(await isRecentlyVerified(user.sessionId))) redirect(`/settings/verify?continue=${encodeURIComponent(token)}`);

    if (change.kind === "unlink") redirect(`${PAGE}?error=${await disconnect(user, change.accountId)}`);
    if (change.kind === "sign_out") return signOutSessions(user, change.sessionId);
    const provider = findProvider(getConfiguredProviders(), change.provider);
    const scopes = provider && parseGrantableScopes(provider, change.scopes.join(" "));
    if (!provider || !scopes?.ok) redirect(`${PAGE}?error=invalid_request`);
    return startAuthorization(user, provider, scopes.scopes, "link");
  },
);
