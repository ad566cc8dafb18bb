import Link from "next/link";
import { ProviderIcon } from "@/components/auth/provider-icon";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { auth } from "@/lib/auth";
import { accountName, listConnectedAccounts } from "@/lib/connected-accounts/list";
import { providerRegistry } from "@/lib/providers";
import { signOutAction } from "./actions";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function HomePage() {
  const user = (await auth())?.user;
  if (!user?.id) return <Landing />;

  const accounts = await listConnectedAccounts(user.id);

  return (
    <main className="mx-auto flex w-full max-w-2xl flex-col gap-6 px-4 py-10 sm:py-16">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex min-w-0 items-center gap-3">
          {user.image ? (
            // eslint-disable-next-line @next/next/no-img-element -- avatars come from any provider host
            <img src={user.image} alt="" className="size-12 rounded-full bg-zinc-200" />
          ) : (
            <div className="grid size-12 place-items-center rounded-full bg-zinc-200 text-lg font-semibold dark:bg-zinc-800">
              {(user.name ?? user.email ?? "?").slice(0, 1).toUpperCase()}
            </div>
          )}
          <div className="min-w-0">
            <h1 className="truncate text-xl font-semibold tracking-tight" data-testid="signed-in-name">
              Welcome, {user.name ?? user.email}
            </h1>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400" data-testid="signed-in-email">
              {user.email}
            </p>
          </div>
        </div>
        <div className="flex gap-2">
          <Link href="/settings/connected-accounts" className={buttonClasses("secondary")}>
            Connected accounts
          </Link>
          <SignOutButton action={signOutAction} />
        </div>
      </header>

      <Card>
        <h2 className="text-base font-semibold">Your sign-in methods</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Accounts linked to this profile. Any of them signs you in.
        </p>
        <ul className="mt-4 divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="linked-accounts">
          {accounts.map((account) => {
            const provider = providerRegistry.find((entry) => entry.id === account.provider);
            return (
              <li key={account.id} className="flex items-center gap-3 py-3" data-provider={account.provider}>
                {provider ? <ProviderIcon icon={provider.icon} className="size-6 shrink-0" /> : null}
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{accountName(account)}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    {provider?.label ?? account.provider} · linked {dateFormat.format(account.linkedAt)}
                  </p>
                </div>
              </li>
            );
          })}
        </ul>
      </Card>
    </main>
  );
}

function Landing() {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-2xl flex-col justify-center gap-6 px-4 py-12 text-center">
      <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Connected accounts starter</h1>
      <p className="text-balance text-zinc-600 dark:text-zinc-400">
        Sign in with Google or GitHub, link more providers, and call Google APIs with tokens that are refreshed
        safely and stored encrypted.
      </p>
      <div>
        <Link href="/sign-in" className={buttonClasses("primary", "px-6")}>
          Sign in
        </Link>
      </div>
    </main>
  );
}
