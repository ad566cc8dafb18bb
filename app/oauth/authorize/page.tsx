import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import {
  availableAgentTools,
  checkAuthorizationRequest,
  consentPath,
  providerLabels,
  toolProviders,
} from "@/lib/agents";
import { requireUser } from "@/lib/auth";
import { accountName, CONNECTED_ACCOUNTS_PAGE, listConnectedAccounts } from "@/lib/connected-accounts";
import { findProvider, getConfiguredProviders, scopeLabel } from "@/lib/providers";
import { confirmIdentityFirstIfStale } from "../../settings/verify/confirm-first";
import { approveAgentAction, denyAgentAction } from "./actions";
import { ACCOUNT_FIELD, TOOL_FIELD } from "./consent-fields";
import { requestOrigin } from "./request-origin";

export const metadata: Metadata = { title: "Allow an agent" };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The query as sent, each value of a repeated parameter kept (the check refuses repeats). */
function queryOf(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, item);
  }
  return query;
}

/**
 * GET /oauth/authorize: the authorization endpoint for MCP clients, and the consent page. It needs
 * the user signed in, with a recent sign-in (else "Confirm it's you" first), and names the agent,
 * the tools it would get and the accounts it would use; the user may untick any of them.
 */
async function ConsentPage({ searchParams }: PageProps) {
  const query = queryOf(await searchParams);
  const user = await requireUser(consentPath(query));
  const checked = await checkAuthorizationRequest(query, await requestOrigin());
  if (!checked.ok) {
    if (checked.error.redirectTo) redirect(checked.error.redirectTo);
    return (
      <Frame title="This agent cannot be authorized">
        <Card>
          <p className="text-sm" data-testid="consent-refused">
            The request is not valid: {checked.error.detail}. Nothing was shared.
          </p>
          <Link href={CONNECTED_ACCOUNTS_PAGE} className={buttonClasses("secondary", "mt-4")}>
            Back to Connected accounts
          </Link>
        </Card>
      </Frame>
    );
  }
  await confirmIdentityFirstIfStale(user, { kind: "authorize_agent", consentPath: consentPath(query) });

  const { client, redirectUri } = checked.request;
  const providers = getConfiguredProviders();
  const tools = availableAgentTools();
  const accounts = await listConnectedAccounts(user.id);
  const usedProviders = new Set(tools.flatMap((tool) => tool.providers));
  const providerLabel = (id: string | null) => (id ? (findProvider(providers, id)?.label ?? id) : null);

  return (
    <Frame title={`Allow “${client.name}” to use your connected accounts?`}>
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="consent-agent">
          <dt className="text-zinc-600 dark:text-zinc-400">Agent</dt>
          <dd className="font-medium break-words">{client.name}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Sends you back to</dt>
          <dd className="break-all">{new URL(redirectUri).host}</dd>
          {client.metadataUrl ? (
            <>
              <dt className="text-zinc-600 dark:text-zinc-400">Described at</dt>
              <dd className="break-all">{client.metadataUrl}</dd>
            </>
          ) : null}
        </dl>
        <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
          The agent never sees your accounts&apos; passwords or tokens: this app calls the providers for it, and only
          for what you leave ticked. You can revoke its access at any time on Connected accounts.
        </p>
      </Card>
      <form action={approveAgentAction} className="flex flex-col gap-4">
        <input type="hidden" name="request" value={query.toString()} />
        <Card>
          <fieldset>
            <legend className="text-sm font-semibold">What it may do (read only)</legend>
            <ul className="mt-2 flex flex-col gap-2">
              {tools.map((tool) => {
                const configured = toolProviders(tool);
                const [provider] = configured;
                const scopes = provider ? tool.scopes.map((scope) => scopeLabel(provider, scope) ?? scope) : [];
                return (
                  <li key={tool.name}>
                    <label className="flex items-start gap-2 text-sm">
                      <input type="checkbox" name={`${TOOL_FIELD}${tool.name}`} defaultChecked className="mt-1" />
                      <span>
                        <span className="font-medium">{tool.title}</span>
                        {provider ? (
                          <span className="text-zinc-600 dark:text-zinc-400"> · {providerLabels(configured)}</span>
                        ) : null}
                        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                          {tool.description}
                          {scopes.length > 0 ? ` Needs: ${scopes.join(", ")}.` : ""}
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        </Card>
        <Card>
          <fieldset>
            <legend className="text-sm font-semibold">Which accounts it may use</legend>
            {accounts.length === 0 ? (
              <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">You have no connected accounts yet.</p>
            ) : (
              <ul className="mt-2 flex flex-col gap-2">
                {accounts.map((account) => (
                  <li key={account.id}>
                    <label className="flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        name={`${ACCOUNT_FIELD}${account.id}`}
                        defaultChecked={usedProviders.has(account.provider)}
                      />
                      <span>
                        <span className="font-medium">{providerLabel(account.provider)}</span> · {accountName(account)}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        </Card>
        <SubmitButton variant="primary" pendingLabel="Allowing…">
          Allow
        </SubmitButton>
      </form>
      <form action={denyAgentAction}>
        <input type="hidden" name="request" value={query.toString()} />
        <SubmitButton variant="ghost" pendingLabel="Refusing…" className="w-full">
          Deny
        </SubmitButton>
      </form>
    </Frame>
  );
}

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto flex w-full max-w-lg flex-col gap-4 px-4 py-10">
      <h1 className="text-xl font-semibold tracking-tight break-words">{title}</h1>
      {children}
    </main>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(ConsentPage);
