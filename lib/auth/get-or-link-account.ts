import "server-only";
import { redirect } from "next/navigation";
import { connectUrl, listConnectedAccounts, type ConnectedAccountSummary } from "../connected-accounts";
import { findProvider, grantIncludes, providerRegistry, type ProviderId } from "../providers";
import { requireUser } from "./require-user";

/**
 * The signed-in user's `provider` account that grants `scopes`, for a page or server action.
 * Otherwise a redirect: to sign in when nobody is, else to the Connected accounts page, which asks
 * the user to link the account, reconnect it, or grant the missing scopes (linking needs their
 * click: it starts nothing on a GET). `returnTo` is where sign-in comes back to.
 */
export async function getOrLinkConnectedAccount(
  provider: ProviderId,
  { scopes = [], returnTo = "/" }: { scopes?: readonly string[]; returnTo?: string } = {},
): Promise<ConnectedAccountSummary> {
  const user = await requireUser(returnTo);
  const definition = findProvider(providerRegistry, provider)!;
  const missingFrom = (account: ConnectedAccountSummary) =>
    scopes.filter((scope) => !grantIncludes(definition, account.grantedScopes, scope));
  const accounts = (await listConnectedAccounts(user.id)).filter(
    (account) => account.provider === provider && account.status === "active",
  );
  const serving = accounts.find((account) => missingFrom(account).length === 0);
  if (serving) return serving;
  // An active account lacks some scopes: ask for those; none active: link (or reconnect) with all.
  redirect(connectUrl(provider, accounts[0] ? missingFrom(accounts[0]) : scopes));
}
