import Link from "next/link";
import { ProviderIcon } from "@/components/auth/provider-icon";
import { AccountHealthSummary } from "@/components/connected-accounts/account-health-summary";
import { AppHeader } from "@/components/shell/app-header";
import { ConnectionNotices } from "@/components/shell/connection-notices";
import { Avatar } from "@/components/shell/avatar";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { signedInUser } from "@/lib/auth";
import { accountName, listConnectedAccounts } from "@/lib/connected-accounts";
import { findProvider, providerLabel, providerRegistry } from "@/lib/providers";
import { formatDate } from "@/lib/words";
import { dismissNoticeAction, signOutAction } from "./actions";
import { connectProviderAction } from "./settings/connected-accounts/actions";

async function HomePage() {
  const user = await signedInUser();
  if (!user?.id) return <Landing />;

  const accounts = await listConnectedAccounts(user.id);
  const name = user.name ?? user.email ?? "there";

  return (
    <>
      <AppHeader
        user={{ name: user.name ?? null, email: user.email ?? null, image: user.image ?? null }}
        signOutAction={signOutAction}
      />
      <ConnectionNotices userId={user.id} connectAction={connectProviderAction} dismissAction={dismissNoticeAction} />
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-8 sm:py-12">
        <div className="flex min-w-0 items-center gap-4">
          <Avatar name={name} image={user.image ?? null} size="lg" />
          <div className="min-w-0">
            {/* Wrapped, never cut: a name is what the page is about. */}
            <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="signed-in-name">
              Welcome, {name}
            </h1>
            <p className="text-sm break-words text-zinc-600 dark:text-zinc-400" data-testid="signed-in-email">
              {user.email}
            </p>
          </div>
        </div>

        <Card>
          <h2 className="text-base font-semibold">Your sign-in methods</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Accounts linked to this profile. Any of them signs you in.
          </p>
          <ul className="mt-4 divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="linked-accounts">
            {accounts.map((account) => {
              const provider = findProvider(providerRegistry, account.provider);
              return (
                <li key={account.id} className="flex items-center gap-3 py-3" data-provider={account.provider}>
                  {provider ? <ProviderIcon icon={provider.icon} className="size-6 shrink-0" /> : null}
                  <div className="min-w-0 flex-1">
                    <p className="text-sm font-medium break-words">{accountName(account)}</p>
                    <p className="text-xs text-zinc-500 dark:text-zinc-400">
                      {providerLabel(account.provider)} · linked {formatDate(account.linkedAt)}
                    </p>
                  </div>
                </li>
              );
            })}
          </ul>
          <AccountHealthSummary
            providerLabels={Object.fromEntries(providerRegistry.map(({ id }) => [id, providerLabel(id)]))}
          />
          <Link href="/settings/connected-accounts" className={buttonClasses("secondary", "mt-4")}>
            Manage connected accounts
          </Link>
        </Card>
      </main>
    </>
  );
}

function Landing() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto flex min-h-[calc(100dvh-3.5rem)] w-full max-w-2xl flex-col justify-center gap-6 px-4 py-12 text-center">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Connected accounts starter</h1>
        <p className="text-balance text-zinc-600 dark:text-zinc-400">
          Sign in with Google or GitHub, link more providers, and call Google APIs with tokens that are refreshed safely
          and stored encrypted.
        </p>
        <div>
          <Link href="/sign-in" className={buttonClasses("primary", "px-6")}>
            Sign in
          </Link>
        </div>
      </main>
    </>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(HomePage);
