import { redirect } from "next/navigation";
import { z } from "zod";
import { isRecentlyReverified } from "@/lib/auth";
import { CONNECTED_ACCOUNTS_PAGE as PAGE, parseGrantableScopes } from "@/lib/connected-accounts";
import { readAccountChange, spendAccountChange } from "@/lib/auth";
import { headNotAllowed, withUser } from "@/lib/http";
import { removePasskey } from "@/lib/passkeys";
import { SECURITY_PAGE } from "@/components/settings/sections";
import { takeRateLimit } from "@/lib/rate-limit";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { signOutSessions } from "../../security/sign-out";
import { disconnect, startAuthorization } from "../account-changes";

export const dynamic = "force-dynamic";

/**
 * GET /settings/connected-accounts/continue?change=<signed change>: where the confirmation of
 * /settings/verify comes back to, to carry out the link, unlink, sign-out or passkey change the
 * user asked for. A GET that changes something, so it takes only a change signed for this very
 * session, only once the session has just been confirmed (a link from elsewhere carries neither),
 * and each change once. It counts against the account_change limit as the actions that start a
 * change do.
 */
export const GET = withUser(
  { query: z.object({ change: z.string().optional() }), signInReturnTo: PAGE },
  async (_request, { user, query }) => {
    if (!(await takeRateLimit(user.id, "account_change")).ok) redirect(`${PAGE}?error=rate_limited`);
    const token = query.change;
    if (!readAccountChange(user, token) || !token) redirect(`${PAGE}?error=invalid_request`);
    if (!(await isRecentlyReverified(user.sessionId)))
      redirect(`/settings/verify?continue=${encodeURIComponent(token)}`);
    const change = await spendAccountChange(user, token);
    if (!change) redirect(`${PAGE}?error=invalid_request`);

    if (change.kind === "unlink") redirect(`${PAGE}?error=${await disconnect(user, change.accountId)}`);
    if (change.kind === "add_passkey") redirect(`${SECURITY_PAGE}?confirmed=add_passkey`);
    if (change.kind === "remove_passkey") {
      const removed = await removePasskey(user, change.credentialID);
      redirect(removed.ok ? `${SECURITY_PAGE}?removed=1` : `${SECURITY_PAGE}?error=${removed.error.code}`);
    }
    if (change.kind === "sign_out") return signOutSessions(user, change.sessionId);
    // The consent page asks again, now that the sign-in is recent: nothing is granted here.
    if (change.kind === "authorize_agent") redirect(change.consentPath);
    const provider = findProvider(getConfiguredProviders(), change.provider);
    const scopes = provider && parseGrantableScopes(provider, change.scopes.join(" "));
    if (!provider || !scopes?.ok) redirect(`${PAGE}?error=invalid_request`);
    return startAuthorization(user, provider, scopes.scopes, "link");
  },
);

/** Not the GET handler, which Next.js would run for a HEAD: a HEAD would carry out the change. */
export const HEAD = headNotAllowed();
