import type { Metadata } from "next";
import Link from "next/link";
import { SignInButtons } from "@/components/auth/sign-in-buttons";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth";
import {
  type AccountChange,
  accountName,
  CONNECTED_ACCOUNTS_PAGE,
  type ConnectedAccountSummary,
  listConnectedAccounts,
  readAccountChange,
} from "@/lib/connected-accounts";
import { getEnv } from "@/lib/env";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { confirmIdentityAction } from "./actions";

export const metadata: Metadata = { title: "Confirm it's you" };

type PageProps = { searchParams: Promise<{ continue?: string | string[] }> };

async function VerifyPage({ searchParams }: PageProps) {
  const user = await requireUser(CONNECTED_ACCOUNTS_PAGE);
  const token = (await searchParams).continue;
  const change = readAccountChange(user, token);
  const accounts = await listConnectedAccounts(user.id);
  const providers = getConfiguredProviders().filter((provider) =>
    accounts.some((account) => account.provider === provider.id),
  );

  return (
    <SettingsFrame
      title="Confirm it's you"
      description={`Connecting or removing an account needs a sign-in from the last ${getEnv().REAUTH_WINDOW_MINUTES} minutes. Sign in again with an account already linked here, and we will carry on.`}
    >
      <Card>
        {change && typeof token === "string" ? (
          <div className="flex flex-col gap-4">
            <p className="text-sm">{describeChange(change, accounts)}</p>
            <SignInButtons
              options={providers.map(({ id, label, icon, sandbox }) => ({
                id,
                label,
                icon,
                sandbox,
                detail: accounts
                  .filter((account) => account.provider === id)
                  .map(accountName)
                  .join(", "),
              }))}
              fields={{ continue: token }}
              action={confirmIdentityAction}
            />
          </div>
        ) : (
          <p className="text-sm">
            This confirmation has expired or was not started here. Start again from Connected accounts.
          </p>
        )}
        <Link href={CONNECTED_ACCOUNTS_PAGE} className={buttonClasses("ghost", "mt-4")}>
          Cancel
        </Link>
      </Card>
    </SettingsFrame>
  );
}

function describeChange(change: AccountChange, accounts: ConnectedAccountSummary[]): string {
  const label = (id: string) => findProvider(getConfiguredProviders(), id)?.label ?? id;
  if (change.kind === "link") return `You asked to connect a ${label(change.provider)} account.`;
  const account = accounts.find((candidate) => candidate.id === change.accountId);
  return account
    ? `You asked to disconnect ${label(account.provider)} (${accountName(account)}).`
    : "You asked to disconnect an account.";
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(VerifyPage);
