import type { ProviderId } from "../providers/registry";

export const CONNECTED_ACCOUNTS_PAGE = "/settings/connected-accounts";

/**
 * Where to send the user to link `provider`, reconnect it, or grant it `scopes` more: the
 * Connected accounts page, which asks them to confirm (it starts nothing on a GET: a link from
 * another site can only open the page). `claims`: an OpenID Connect `claims` request (JSON) the
 * provider asked for in a challenge, sent with the authorization.
 */
export function connectUrl(provider: ProviderId, scopes: readonly string[] = [], claims?: string): string {
  const params = new URLSearchParams({ connect: provider });
  if (scopes.length > 0) params.set("scopes", scopes.join(" "));
  if (claims) params.set("claims", claims);
  return `${CONNECTED_ACCOUNTS_PAGE}?${params}`;
}

/**
 * Where the provider's callback lands after a link or consent went through: the page, with a
 * notice it checks against what was actually granted (a refused link lands elsewhere, with an error).
 */
export function afterConnectUrl(provider: ProviderId, kind: "link" | "consent", scopes: readonly string[]): string {
  const notice = kind === "link" ? "connected" : scopes.length > 0 ? "granted" : "reconnected";
  const params = new URLSearchParams({ notice, provider });
  // The page checks these against what was granted: the user may have unticked some.
  if (notice !== "reconnected" && scopes.length > 0) params.set("scopes", scopes.join(" "));
  return `${CONNECTED_ACCOUNTS_PAGE}?${params}`;
}
