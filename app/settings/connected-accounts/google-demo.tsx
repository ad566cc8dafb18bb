// The one place the Google demo (lib/google, components/google) is mounted on the Connected
// accounts page. To remove the demo, delete this file, the two folders, and the two lines of
// page.tsx that name GoogleDemo (docs/providers.md, "Removing the Google demo").
import type { ShownGoogleAccount } from "@/components/google/google-panel";
import { GooglePanels } from "@/components/google/google-panels";
import { accountHealth, type ConnectedAccountSummary } from "@/lib/connected-accounts";
import { connectProviderAction } from "./actions";

export function GoogleDemo({ userId, accounts }: { userId: string; accounts: ConnectedAccountSummary[] }) {
  const hasGoogle = accounts.some((account) => account.provider === "google");
  return (
    <section aria-labelledby="google-data" className="flex flex-col gap-3">
      <div>
        <h2 id="google-data" className="text-lg font-semibold">
          Your Google data
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Read on the server with your stored Google token. Each panel asks only for the access it needs.
        </p>
      </div>
      {hasGoogle ? (
        <GooglePanels userId={userId} connectAction={connectProviderAction} shown={shownGoogleAccount(accounts)} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect a Google account above to see these panels.</p>
      )}
    </section>
  );
}

/** The Google account the panels use (the oldest, as getAccessToken picks it), as its card shows it. */
function shownGoogleAccount(accounts: ConnectedAccountSummary[]): ShownGoogleAccount {
  const account = accounts.find((candidate) => candidate.provider === "google");
  return account && { accountId: account.id, health: accountHealth(account), grantedScopes: account.grantedScopes };
}
