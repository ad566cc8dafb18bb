import type { Metadata } from "next";
import { Suspense } from "react";
import Link from "next/link";
import { AccountStatusProvider } from "@/components/connected-accounts/account-status";
import { ConnectButton } from "@/components/connected-accounts/connect-button";
import { ProviderCard } from "@/components/connected-accounts/provider-card";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ForgetNoticeInUrl } from "@/components/ui/forget-notice-in-url";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { requireUser } from "@/lib/auth";
import { yieldToShell } from "@/lib/yield-to-shell";
import {
  CONNECTED_ACCOUNTS_PAGE,
  type ConnectedAccountSummary,
  listConnectedAccounts,
  parseClaimsRequest,
  parseGrantableScopes,
  recentEvents,
} from "@/lib/connected-accounts";
import { confirmationText, errorTextFromUrl, grantResult, manageAccessWords } from "@/lib/words";
import {
  findProvider,
  getConfiguredProviders,
  grantIncludes,
  scopeLabel,
  type ConfiguredProvider,
} from "@/lib/providers";
import { connectProviderAction, disconnectAccountAction, revokeAgentAction } from "./actions";
import { AgentsWithAccess } from "@/components/agents/agents-with-access";
import { listAgentGrants } from "@/lib/agents";
import { GoogleDemo } from "./google-demo";
import { MicrosoftDemo } from "./microsoft-demo";

export const metadata: Metadata = { title: "Connected accounts" };

type Param = string | string[] | undefined;
type PageProps = {
  searchParams: Promise<{
    notice?: Param;
    provider?: Param;
    error?: Param;
    connect?: Param;
    scopes?: Param;
    claims?: Param;
  }>;
};

/** Parameters that announce what just happened: shown once, then dropped from the address. */
const NOTICE_PARAMS = ["notice", "provider", "scopes", "error"] as const;

/** One value of a query parameter: `?a=1&a=2` is no value at all. */
const single = (value: Param) => (typeof value === "string" ? value : undefined);

async function ConnectedAccountsPage({ searchParams }: PageProps) {
  const user = await requireUser(CONNECTED_ACCOUNTS_PAGE);
  // The frame flushes as soon as the session is read; the accounts stream in right behind it.
  return (
    <SettingsFrame
      title="Connected accounts"
      description="Accounts you can sign in with, and the access this app has to each. Disconnecting also revokes that access at the provider, or says where to remove it when the provider cannot be asked."
    >
      <Suspense fallback={<AccountsSkeleton />}>
        <AccountsAndData userId={user.id} searchParams={searchParams} />
      </Suspense>
    </SettingsFrame>
  );
}

async function AccountsAndData({ userId, searchParams }: { userId: string; searchParams: PageProps["searchParams"] }) {
  await yieldToShell();
  const [accounts, activity, agentGrants, params] = await Promise.all([
    listConnectedAccounts(userId),
    recentEvents(userId),
    listAgentGrants(userId),
    searchParams,
  ]);
  const now = new Date();
  const providers = getConfiguredProviders();
  const request = connectRequest(providers, single(params.connect), single(params.scopes), single(params.claims));
  const toast = pageToast(params, providers, accounts, request === "invalid");
  const signInMethods = accounts.filter((account) => account.canSignIn).length;

  // The cards and any panels share one account status (components/connected-accounts/account-status.tsx).
  return (
    <AccountStatusProvider>
      {request && request !== "invalid" ? <ConnectRequest {...request} accounts={accounts} /> : null}
      <div className="flex flex-col gap-4">
        {providers.map((provider) => (
          <ProviderCard
            key={provider.id}
            provider={{
              id: provider.id,
              label: provider.label,
              icon: provider.icon,
              scopeLabels: provider.scopeLabels,
              scopeAliases: provider.scopeAliases,
              defaultScopes: provider.defaultScopes,
              connectOnly: provider.connectOnly,
            }}
            accounts={accounts.filter((account) => account.provider === provider.id)}
            activity={activity}
            now={now}
            isOnlySignInMethod={signInMethods <= 1}
            connectAction={connectProviderAction}
            disconnectAction={disconnectAccountAction}
          />
        ))}
      </div>

      <div className="mt-4">
        <AgentsWithAccess grants={agentGrants} now={now} revokeAction={revokeAgentAction} />
      </div>

      <GoogleDemo userId={userId} accounts={accounts} />
      <MicrosoftDemo userId={userId} accounts={accounts} />
      <Toast message={toast} />
      <ForgetNoticeInUrl names={NOTICE_PARAMS} />
    </AccountStatusProvider>
  );
}

function AccountsSkeleton() {
  return (
    <div className="flex flex-col gap-4" data-testid="accounts-loading" aria-hidden>
      {["h-40", "h-28"].map((height) => (
        <div
          key={height}
          className={`${height} animate-pulse rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900`}
        />
      ))}
    </div>
  );
}

/**
 * What the URL says happened (an error, a disconnect, a link or grant that went through), checked
 * against the accounts: a link or grant is confirmed only when the record shows it.
 */
function pageToast(
  params: Awaited<PageProps["searchParams"]>,
  providers: readonly ConfiguredProvider[],
  accounts: ConnectedAccountSummary[],
  invalidRequest: boolean,
): ToastMessage | undefined {
  const errorText = errorTextFromUrl(invalidRequest ? "invalid_request" : single(params.error));
  if (errorText) return { tone: "error", text: errorText, id: 1 };
  const provider = findProvider(providers, single(params.provider) ?? "");
  if (!provider) return undefined;
  const linked = accounts.filter((account) => account.provider === provider.id);
  const notice = single(params.notice);
  const scopes = single(params.scopes);
  if (notice === "granted" || (notice === "connected" && scopes)) {
    const requested = parseGrantableScopes(provider, scopes ?? "");
    if (!requested.ok || linked.length === 0) return undefined;
    const granted = linked.flatMap((account) => account.grantedScopes);
    const label = (scope: string) => scopeLabel(provider, scope) ?? scope;
    const told = grantResult(requested.scopes, (scope) => grantIncludes(provider, granted, scope), label);
    return {
      ...told,
      text: notice === "connected" ? `${confirmationText(notice, provider.label)} ${told.text}` : told.text,
      id: 1,
    };
  }
  if ((notice === "connected" || notice === "reconnected") && linked.length === 0) return undefined;
  const text = confirmationText(notice, provider.label, manageAccessWords(provider));
  return text ? { tone: "success", text, id: 1 } : undefined;
}

/**
 * `?connect=<provider>&scopes=<…>[&claims=<…>]` (lib/connected-accounts/connect-url.ts): a request
 * to link or grant more, or to sign in again with the claims a provider's challenge asked for,
 * which the user confirms with a button. Only declared scopes are ever shown.
 */
function connectRequest(
  providers: readonly ConfiguredProvider[],
  connect: string | undefined,
  scopes: string | undefined,
  claims: string | undefined,
) {
  if (connect === undefined) return undefined;
  const provider = findProvider(providers, connect);
  const parsed = provider && parseGrantableScopes(provider, scopes ?? "");
  const challenge = parseClaimsRequest(claims);
  return provider && parsed?.ok && challenge.ok
    ? { provider, scopes: parsed.scopes, claims: challenge.claims }
    : ("invalid" as const);
}

function ConnectRequest({
  provider,
  scopes,
  claims,
  accounts,
}: {
  provider: ConfiguredProvider;
  scopes: string[];
  claims?: string;
  accounts: ConnectedAccountSummary[];
}) {
  const linked = accounts.some((account) => account.provider === provider.id);
  const heading = claims
    ? `${provider.label} asks you to sign in again`
    : linked
      ? `Give this app more access to ${provider.label}?`
      : `Connect ${provider.label}?`;
  return (
    <Card>
      <section aria-labelledby="connect-request" data-testid="connect-request" className="flex flex-col gap-3">
        <h2 id="connect-request" className="text-base font-semibold">
          {heading}
        </h2>
        {scopes.length > 0 ? (
          <ul className="list-disc pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            {scopes.map((scope) => (
              <li key={scope}>{scopeLabel(provider, scope)}</li>
            ))}
          </ul>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <ConnectButton
            action={connectProviderAction}
            provider={provider.id}
            purpose={linked ? "consent" : "link"}
            scopes={scopes}
            claims={claims}
            label={`Continue to ${provider.label}`}
            variant="primary"
          />
          <Link href={CONNECTED_ACCOUNTS_PAGE} className={buttonClasses("ghost")}>
            Not now
          </Link>
        </div>
      </section>
    </Card>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(ConnectedAccountsPage);
