import type { ProviderId } from "../providers/types";

/**
 * The in-app URL that starts linking `provider` (or re-consenting, or granting `scopes` more)
 * for the signed-in user; served by app/connect/[provider]/route.ts.
 */
export function connectUrl(provider: ProviderId, scopes: readonly string[] = [], returnTo?: string): string {
  const params = new URLSearchParams();
  if (scopes.length > 0) params.set("scopes", scopes.join(" "));
  if (returnTo) params.set("returnTo", returnTo);
  const query = params.toString();
  return `/connect/${provider}${query ? `?${query}` : ""}`;
}
