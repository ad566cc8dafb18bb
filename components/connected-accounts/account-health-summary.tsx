"use client";

import { useEffect } from "react";
import { useConnectedAccounts } from "./hooks";

/**
 * One line on how the user's connected accounts are doing, asked again whenever the tab regains
 * focus: a grant can end while the page stays open (the sweep, a provider's notice), or the user
 * reconnected in another tab. `providerLabels` names each provider id.
 */
export function AccountHealthSummary({ providerLabels }: { providerLabels: Record<string, string> }) {
  const accounts = useConnectedAccounts();
  const { reload } = accounts;

  useEffect(() => {
    window.addEventListener("focus", reload);
    return () => window.removeEventListener("focus", reload);
  }, [reload]);

  if (accounts.status === "loading") return null;
  const needReconnect =
    accounts.status === "ok"
      ? accounts.data.filter((account) => account.status === "needs_reconnect").map((account) => account.provider)
      : [];
  return (
    <p
      role="status"
      data-testid="account-health-summary"
      data-state={accounts.status === "ok" && needReconnect.length === 0 ? "working" : "attention"}
      className="mt-3 text-sm text-zinc-600 dark:text-zinc-400"
    >
      {accounts.status === "error"
        ? `Could not check your connected accounts: ${accounts.error.message}`
        : healthSummary(needReconnect, providerLabels)}
    </p>
  );
}

/** The sentence for the providers whose accounts need reconnecting (ids, one per account). */
export function healthSummary(needReconnect: readonly string[], providerLabels: Record<string, string>): string {
  if (needReconnect.length === 0) return "Every connected account is working.";
  const names = needReconnect.map((provider) => providerLabels[provider] ?? provider).join(", ");
  return needReconnect.length === 1
    ? `Your ${names} account needs reconnecting.`
    : `${needReconnect.length} accounts need reconnecting: ${names}.`;
}
