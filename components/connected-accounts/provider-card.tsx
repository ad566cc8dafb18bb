import { ProviderIcon } from "@/components/auth/provider-icon";
import { Card } from "@/components/ui/card";
import type { ActionState } from "@/components/connected-accounts/action-state";
import { accountHealth, accountName, type ConnectedAccountSummary } from "@/lib/connected-accounts/list";
import { scopeLabel, type ProviderDefinition } from "@/lib/providers/types";
import { ConnectButton } from "./connect-button";
import { DisconnectButton } from "./disconnect-button";
import { HealthBadge } from "./health-badge";

type ProviderCardProps = {
  provider: Pick<ProviderDefinition, "id" | "label" | "icon" | "scopeLabels">;
  accounts: ConnectedAccountSummary[];
  /** The user has exactly one account in total: it cannot be disconnected. */
  isOnlySignInMethod: boolean;
  connectAction: (formData: FormData) => Promise<void>;
  disconnectAction: (previous: ActionState, formData: FormData) => Promise<ActionState>;
};

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export function ProviderCard({ provider, accounts, isOnlySignInMethod, connectAction, disconnectAction }: ProviderCardProps) {
  return (
    <Card padded={false}>
      <section aria-labelledby={`provider-${provider.id}`} data-testid={`provider-card-${provider.id}`}>
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <div className="flex items-center gap-3">
            <ProviderIcon icon={provider.icon} className="size-6" />
            <h2 id={`provider-${provider.id}`} className="text-base font-semibold">
              {provider.label}
            </h2>
          </div>
          <ConnectButton
            action={connectAction}
            provider={provider.id}
            purpose="link"
            label={accounts.length > 0 ? `Connect another ${provider.label} account` : `Connect ${provider.label}`}
            variant={accounts.length > 0 ? "secondary" : "primary"}
          />
        </header>
        {accounts.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">Not connected.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {accounts.map((account) => {
              const health = accountHealth(account);
              const name = accountName(account);
              return (
                <li key={account.id} data-testid="connected-account" data-account-id={account.id} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start">
                  <div className="flex min-w-0 flex-1 gap-3">
                    {account.avatarUrl ? (
                      // eslint-disable-next-line @next/next/no-img-element -- avatars come from any provider host
                      <img src={account.avatarUrl} alt="" className="size-10 shrink-0 rounded-full bg-zinc-200" />
                    ) : (
                      <div className="grid size-10 shrink-0 place-items-center rounded-full bg-zinc-200 font-semibold dark:bg-zinc-800">
                        {name.slice(0, 1).toUpperCase()}
                      </div>
                    )}
                    <div className="min-w-0 space-y-1">
                      <div className="flex flex-wrap items-center gap-2">
                        <p className="truncate text-sm font-medium">{name}</p>
                        <HealthBadge health={health} />
                      </div>
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">
                        Account ID {account.providerAccountId} · linked {dateFormat.format(account.linkedAt)}
                      </p>
                      <ul className="flex flex-wrap gap-1.5 pt-1" aria-label="Access granted">
                        {account.grantedScopes.map((scope) => (
                          <li key={scope} title={scope} className="rounded-md bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                            {scopeLabel(provider, scope) ?? scope}
                          </li>
                        ))}
                      </ul>
                    </div>
                  </div>
                  <div className="flex flex-wrap items-start gap-2 sm:justify-end">
                    {health === "needs_reconnect" ? (
                      <ConnectButton action={connectAction} provider={provider.id} purpose="consent" label="Reconnect" variant="primary" />
                    ) : null}
                    <DisconnectButton
                      accountId={account.id}
                      accountLabel={name}
                      providerLabel={provider.label}
                      action={disconnectAction}
                      disabledReason={
                        isOnlySignInMethod ? "This is your only way to sign in. Connect another account first." : undefined
                      }
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Card>
  );
}
