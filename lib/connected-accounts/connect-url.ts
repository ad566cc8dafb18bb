import type { ProviderId } from "../providers/types";

export const CONNECTED_ACCOUNTS_PAGE = "/settings/connected-accounts";

/**
 * Where to send the user to link `provider`, reconnect it, or grant it `scopes` more: the
 * Connected accounts page, which asks them to confirm (it starts nothing on a GET: a link from
 * another site can only open the page).
 */
export function connectUrl(provider: ProviderId, scopes: readonly string[] = []): string {
  const params = new URLSearchParams({ connect: provider });
  if (scopes.length > 0) params.set("scopes", scopes.join(" "));
  return `${CONNECTED_ACCOUNTS_PAGE}?${params}`;
}
