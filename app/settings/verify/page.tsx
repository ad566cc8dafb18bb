import type { Metadata } from "next";
import Link from "next/link";
import { SignInButtons } from "@/components/auth/sign-in-buttons";
import { FactorExplanation } from "@/components/passkeys/factor-explanation";
import { PasskeyConfirm } from "@/components/passkeys/passkey-confirm";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireUser, reverificationFactor } from "@/lib/auth";
import {
  accountName,
  CONNECTED_ACCOUNTS_PAGE,
  type ConnectedAccountSummary,
  listConnectedAccounts,
} from "@/lib/connected-accounts";
import { type AccountChange, readAccountChange } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import { browserErrorTexts, listPasskeys } from "@/lib/passkeys";
import { SECURITY_PAGE } from "@/components/settings/sections";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { confirmIdentityAction } from "./actions";
import { confirmWithPasskeyAction, startPasskeyConfirmationAction } from "./passkey-actions";

export const metadata: Metadata = { title: "Confirm it's you" };

type PageProps = { searchParams: Promise<{ continue?: string | string[] }> };

async function VerifyPage({ searchParams }: PageProps) {
  const user = await requireUser(CONNECTED_ACCOUNTS_PAGE);
  const token = (await searchParams).continue;
  const change = readAccountChange(user, token);
  const [accounts, factor] = await Promise.all([listConnectedAccounts(user.id), reverificationFactor(user.id)]);
  const cancelTo =
    change?.kind === "add_passkey" || change?.kind === "remove_passkey" || change?.kind === "sign_out"
      ? SECURITY_PAGE
      : CONNECTED_ACCOUNTS_PAGE;

  return (
    <SettingsFrame
      title="Confirm it's you"
      description={`Connecting or removing an account or a passkey, and signing out other sessions, need a confirmation from the last ${getEnv().REAUTH_WINDOW_MINUTES} minutes. Confirm, and we will carry on.`}
    >
      <Card>
        {change && typeof token === "string" ? (
          <div className="flex flex-col gap-4">
            <p className="text-sm">{await describeChange(change, accounts, user.id)}</p>
            <FactorExplanation factor={factor} />
            {factor.kind === "passkey" ? (
              <PasskeyConfirm
                continueToken={token}
                startAction={startPasskeyConfirmationAction}
                confirmAction={confirmWithPasskeyAction}
                errorTexts={browserErrorTexts()}
              />
            ) : factor.kind === "none" ? null : (
              <SignInButtons
                options={factor.providers.map(({ id, label, icon, sandbox }) => ({
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
            )}
          </div>
        ) : (
          <p className="text-sm">
            This confirmation has expired or was not started here. Start again from where you were.
          </p>
        )}
        <Link href={cancelTo} className={buttonClasses("ghost", "mt-4")}>
          Cancel
        </Link>
      </Card>
    </SettingsFrame>
  );
}

async function describeChange(
  change: AccountChange,
  accounts: ConnectedAccountSummary[],
  userId: string,
): Promise<string> {
  const label = (id: string) => findProvider(getConfiguredProviders(), id)?.label ?? id;
  switch (change.kind) {
    case "link":
      return `You asked to connect a ${label(change.provider)} account.`;
    case "unlink": {
      const account = accounts.find((candidate) => candidate.id === change.accountId);
      return account
        ? `You asked to disconnect ${label(account.provider)} (${accountName(account)}).`
        : "You asked to disconnect an account.";
    }
    case "sign_out":
      return change.sessionId === null
        ? "You asked to sign out of your other sessions."
        : "You asked to sign out of another session.";
    case "add_passkey":
      return "You asked to add a passkey.";
    case "remove_passkey": {
      const passkey = (await listPasskeys(userId)).find((candidate) => candidate.credentialID === change.credentialID);
      return passkey ? `You asked to remove the passkey “${passkey.name}”.` : "You asked to remove a passkey.";
    }
    case "authorize_agent":
      return "An agent asked to use your connected accounts.";
  }
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(VerifyPage);
