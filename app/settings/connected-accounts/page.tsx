import type { Metadata } from "next";
import { ProviderCard } from "@/components/connected-accounts/provider-card";
import { GooglePanels } from "@/components/google/google-panels";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { requireUser } from "@/lib/auth/require-user";
import { errorTextFromUrl, noticeText } from "@/lib/connected-accounts/errors";
import { listConnectedAccounts } from "@/lib/connected-accounts/list";
import { getConfiguredProviders } from "@/lib/providers";
import { connectProviderAction, disconnectAccountAction } from "./actions";

export const metadata: Metadata = { title: "Connected accounts" };

type PageProps = { searchParams: Promise<{ notice?: string; provider?: string; error?: string }> };

export default async function ConnectedAccountsPage({ searchParams }: PageProps) {
  const user = await requireUser("/settings/connected-accounts");
  const [accounts, { notice, provider: noticeProvider, error }] = await Promise.all([listConnectedAccounts(user.id), searchParams]);
  const providers = getConfiguredProviders();
  const noticeLabel = providers.find((provider) => provider.id === noticeProvider)?.label;
  const noticeMessage = noticeLabel ? noticeText(notice, noticeLabel) : undefined;
  const errorMessage = errorTextFromUrl(error);
  const toast: ToastMessage | undefined = errorMessage
    ? { tone: "error", text: errorMessage, id: 1 }
    : noticeMessage
      ? { tone: "success", text: noticeMessage, id: 1 }
      : undefined;
  const hasGoogle = accounts.some((account) => account.provider === "google");

  return (
    <SettingsFrame
      title="Connected accounts"
      description="Accounts you can sign in with, and the access this app has to each. Disconnecting also revokes that access at the provider."
    >
      <div className="flex flex-col gap-4">
        {providers.map((provider) => (
          <ProviderCard
            key={provider.id}
            provider={{ id: provider.id, label: provider.label, icon: provider.icon, scopeLabels: provider.scopeLabels }}
            accounts={accounts.filter((account) => account.provider === provider.id)}
            isOnlySignInMethod={accounts.length <= 1}
            connectAction={connectProviderAction}
            disconnectAction={disconnectAccountAction}
          />
        ))}
      </div>

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
          <GooglePanels userId={user.id} connectAction={connectProviderAction} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect a Google account above to see these panels.</p>
        )}
      </section>
      <Toast message={toast} />
    </SettingsFrame>
  );
}
