// The one place the Microsoft 365 demo (lib/microsoft, components/microsoft) is mounted on the
// Connected accounts page. To remove it, delete this file, the two folders, and the two lines of
// page.tsx that name MicrosoftDemo (docs/providers.md, "Removing the demos").
import { OneDrivePanel } from "@/components/microsoft/onedrive-panel";
import type { ConnectedAccountSummary } from "@/lib/connected-accounts";
import { connectProviderAction } from "./actions";

export function MicrosoftDemo({ userId, accounts }: { userId: string; accounts: ConnectedAccountSummary[] }) {
  const hasMicrosoft = accounts.some((account) => account.provider === "microsoft-entra-id");
  return (
    <section aria-labelledby="microsoft-data" className="flex flex-col gap-3">
      <div>
        <h2 id="microsoft-data" className="text-lg font-semibold">
          Your Microsoft 365 data
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Read on the server through Microsoft Graph with your stored Microsoft token, asking for access only when
          needed.
        </p>
      </div>
      {hasMicrosoft ? (
        <OneDrivePanel userId={userId} connectAction={connectProviderAction} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect a Microsoft account above to see this panel.</p>
      )}
    </section>
  );
}
