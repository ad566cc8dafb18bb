/** Confirmations shown after an action that navigated (e.g. a disconnected account's row is gone). */
const confirmations = {
  disconnected: (provider: string) => `${provider} disconnected, and its access was revoked at ${provider}.`,
  disconnected_not_revoked: (provider: string) =>
    `${provider} disconnected. ${provider} did not confirm the revocation; you can remove this app's access in your ${provider} settings.`,
  disconnected_not_revocable: (provider: string, where: string) =>
    `${provider} disconnected: this app deleted its access. ${provider} has no way for apps to end the access you gave, so remove this app there too, ${where}.`,
  connected: (provider: string) => `${provider} connected.`,
  reconnected: (provider: string) => `${provider} reconnected.`,
} as const;

/**
 * The confirmation for a code that arrived in a URL (`?notice=`), if it is one of ours. `where`:
 * where the user removes the app at the provider, in words (`manageAccessWords`).
 */
export function confirmationText(
  code: string | undefined,
  providerLabel: string,
  where = `in your ${providerLabel} settings`,
): string | undefined {
  return code && Object.hasOwn(confirmations, code)
    ? confirmations[code as keyof typeof confirmations](providerLabel, where)
    : undefined;
}

/** Where users remove the app at a provider, in words: its own, or at its one address. */
export function manageAccessWords(provider: { manageAccessUrl: string; manageAccessWhere?: string }): string {
  return provider.manageAccessWhere ?? `at ${provider.manageAccessUrl}`;
}

/**
 * After Grant access: what the provider granted of what was asked, in words. The provider may
 * grant less (the user unticked a box), so this reads the stored grant, not the request.
 */
export function grantResult(
  requested: readonly string[],
  isGranted: (scope: string) => boolean,
  label: (scope: string) => string,
): { tone: "success" | "error"; text: string } {
  const words = (scopes: readonly string[]) => [...new Set(scopes.map(label))].join("; ");
  const refused = requested.filter((scope) => !isGranted(scope));
  return refused.length === 0
    ? { tone: "success", text: `Access granted: ${words(requested)}.` }
    : { tone: "error", text: `You did not allow: ${words(refused)}. Grant access again to choose differently.` };
}
