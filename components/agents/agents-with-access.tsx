import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { AGENT_TOOLS, type AgentGrantSummary } from "@/lib/agents";
import { accountName } from "@/lib/connected-accounts";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { relativeTime } from "@/lib/words";

type AgentsWithAccessProps = {
  grants: AgentGrantSummary[];
  now: Date;
  revokeAction: (formData: FormData) => Promise<void>;
};

/** "Agents with access": each agent the user authorized, what it may use, its last use, and Revoke. */
export function AgentsWithAccess({ grants, now, revokeAction }: AgentsWithAccessProps) {
  const providers = getConfiguredProviders();
  const toolTitle = (name: string) => AGENT_TOOLS.find((tool) => tool.name === name)?.title ?? name;
  return (
    <Card>
      <section aria-labelledby="agents-with-access" data-testid="agents-with-access" className="flex flex-col gap-3">
        <h2 id="agents-with-access" className="text-base font-semibold">
          Agents with access
        </h2>
        {grants.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No agent may use your accounts. An AI agent (an MCP client) asks here first; see the docs on agents.
          </p>
        ) : (
          <ul className="flex flex-col divide-y divide-zinc-200 dark:divide-zinc-800">
            {grants.map((grant) => (
              <li key={grant.id} data-testid="agent-grant" className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="font-medium break-words">{grant.client.name}</p>
                    <p className="text-xs break-all text-zinc-600 dark:text-zinc-400">
                      {grant.client.metadataUrl ?? grant.client.redirectHost ?? grant.client.id}
                    </p>
                  </div>
                  <form action={revokeAction}>
                    <input type="hidden" name="grantId" value={grant.id} />
                    <SubmitButton variant="danger" pendingLabel="Revoking…">
                      Revoke
                    </SubmitButton>
                  </form>
                </div>
                <ul className="flex flex-col gap-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                  <li>May use: {grant.tools.length > 0 ? grant.tools.map(toolTitle).join(", ") : "no tools"}</li>
                  <li>
                    With:{" "}
                    {grant.accounts.length > 0
                      ? grant.accounts
                          .map(
                            (account) =>
                              `${findProvider(providers, account.provider)?.label ?? account.provider} (${accountName(account)})`,
                          )
                          .join(", ")
                      : "no accounts"}
                  </li>
                  <li data-testid="agent-last-used">
                    {grant.lastUsedAt
                      ? `Last used ${relativeTime(grant.lastUsedAt, now)}${grant.lastUsedTool ? ` (${toolTitle(grant.lastUsedTool)})` : ""}`
                      : "Not used yet"}
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
