import { ProviderIcon } from "@/components/auth/provider-icon";
import { Card } from "@/components/ui/card";
import type { ActionState } from "@/components/connected-accounts/action-state";
import {
  accountHealth,
  accountName,
  type ConnectedAccountSummary,
  type ConnectionEvent,
  reconnectDeadline,
} from "@/lib/connected-accounts";
import { describeEvent, eventTone, exactTime, formatDate, reconnectAdvice, relativeTime } from "@/lib/words";
import { Avatar } from "@/components/shell/avatar";
import { canonicalScope, isSignInScope, scopeLabel, signsIn, type ProviderDefinition } from "@/lib/providers";
import { ConnectButton } from "./connect-button";
import { DisconnectButton } from "./disconnect-button";
import { LiveHealthBadge, LiveLastUsed } from "./account-status";

type ProviderCardProps = {
  provider: CardProvider;
  accounts: ConnectedAccountSummary[];
  /** The latest events of each account, newest first, by account id. */
  activity: ReadonlyMap<string, readonly ConnectionEvent[]>;
  /** The time the page is rendered at, for "3 min ago". */
  now: Date;
  /** The user has exactly one account in total: it cannot be disconnected. */
  /** The user has one way to sign in at most: the card's sign-in account cannot be disconnected. */
  isOnlySignInMethod: boolean;
  connectAction: (formData: FormData) => Promise<void>;
  disconnectAction: (previous: ActionState, formData: FormData) => Promise<ActionState>;
};

type CardProvider = Pick<
  ProviderDefinition,
  "id" | "label" | "icon" | "scopeLabels" | "scopeAliases" | "defaultScopes" | "unusedGrantDays" | "connectOnly"
>;

export function ProviderCard({
  provider,
  accounts,
  activity,
  now,
  isOnlySignInMethod,
  connectAction,
  disconnectAction,
}: ProviderCardProps) {
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
              const events = activity.get(account.id) ?? [];
              const deadline = reconnectDeadline(account, now);
              return (
                <li
                  key={account.id}
                  data-testid="connected-account"
                  data-account-id={account.id}
                  className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-start"
                >
                  <div className="flex min-w-0 flex-1 gap-3">
                    <Avatar name={name} image={account.avatarUrl} />
                    <div className="min-w-0 flex-1 space-y-2">
                      <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                        <p className="min-w-0 max-w-full truncate text-sm font-medium" title={name}>
                          {name}
                        </p>
                        <LiveHealthBadge accountId={account.id} health={health} />
                      </div>
                      {health === "needs_reconnect" ? (
                        <p className="text-sm text-red-800 dark:text-red-300" data-testid="reconnect-advice">
                          {reconnectAdvice(events, provider, account.unreadable)}
                        </p>
                      ) : null}
                      {deadline ? (
                        <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="reconnect-deadline">
                          Reconnect needed by <time dateTime={deadline.toISOString()}>{formatDate(deadline)}</time>,
                          when {provider.label} ends this app&apos;s access.
                        </p>
                      ) : null}
                      <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                        <li>Linked {formatDate(account.linkedAt)}</li>
                        <li data-testid="last-refreshed">
                          {account.lastRefreshedAt ? (
                            <>
                              Refreshed <When date={account.lastRefreshedAt} now={now} />
                            </>
                          ) : (
                            "Not refreshed yet"
                          )}
                        </li>
                        <li data-testid="last-used">
                          <LiveLastUsed accountId={account.id}>
                            {account.lastUsedAt ? (
                              <>
                                Last used <When date={account.lastUsedAt} now={now} />
                                {account.lastUsedFeature ? ` by ${account.lastUsedFeature}` : null}
                              </>
                            ) : (
                              "Not used yet"
                            )}
                          </LiveLastUsed>
                        </li>
                        <li data-testid="sign-in-method">
                          {account.canSignIn ? "Signs you in" : "For connecting only: not a way to sign in"}
                        </li>
                      </ul>
                      <GrantedAccess
                        provider={provider}
                        scopes={account.grantedScopes}
                        paused={health === "needs_reconnect"}
                      />
                      <details className="text-xs text-zinc-500 dark:text-zinc-400">
                        <summary className="cursor-pointer select-none hover:text-zinc-700 dark:hover:text-zinc-200">
                          Account details
                        </summary>
                        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
                          <dt>{provider.label} account ID</dt>
                          <dd className="min-w-0 break-all font-mono">{account.providerAccountId}</dd>
                        </dl>
                      </details>
                      <Activity provider={provider} events={events} now={now} />
                    </div>
                  </div>
                  <div className="flex flex-wrap items-start gap-2 sm:w-56 sm:shrink-0 sm:flex-col sm:items-end">
                    {health === "needs_reconnect" ? (
                      <ConnectButton
                        action={connectAction}
                        provider={provider.id}
                        purpose="consent"
                        label="Reconnect"
                        variant="primary"
                      />
                    ) : null}
                    <DisconnectButton
                      accountId={account.id}
                      accountLabel={name}
                      providerLabel={provider.label}
                      canSignIn={account.canSignIn}
                      action={disconnectAction}
                      disabledReason={
                        isOnlySignInMethod && account.canSignIn
                          ? "This is your only way to sign in. Connect another account first."
                          : undefined
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

/**
 * What the account lets this app do, sign-in basics apart from access to the user's data. While it
 * needs reconnecting (`paused`) it gives access to no data, whatever was granted before.
 */
function GrantedAccess({
  provider,
  scopes,
  paused,
}: {
  provider: CardProvider;
  scopes: readonly string[];
  paused: boolean;
}) {
  // One chip per scope, whichever of its names the provider reported.
  const unique = [...new Set(scopes.map((scope) => canonicalScope(provider, scope)))];
  const groups = [
    {
      id: "basics",
      title: "Sign-in basics",
      scopes: unique.filter((scope) => isSignInScope(provider, scope)),
      chip: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
    },
    {
      id: "data",
      title: "Data access",
      scopes: unique.filter((scope) => !isSignInScope(provider, scope)),
      chip: "bg-blue-50 text-blue-900 dark:bg-blue-950 dark:text-blue-200",
    },
  ].filter((group) => group.id === "data" || signsIn(provider));
  return (
    <div className="space-y-1.5">
      {groups.map((group) => (
        <div key={group.id} className="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:gap-2">
          <p className="shrink-0 text-xs font-medium text-zinc-500 sm:w-28 dark:text-zinc-400">{group.title}</p>
          {group.id === "data" && paused ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="scopes-data-paused">
              None until you reconnect
            </p>
          ) : group.scopes.length === 0 ? (
            <p className="text-xs text-zinc-500 dark:text-zinc-400">None yet</p>
          ) : (
            <ul className="flex flex-wrap gap-1.5" aria-label={group.title} data-testid={`scopes-${group.id}`}>
              {group.scopes.map((scope) => (
                <li
                  key={scope}
                  title={scope}
                  data-testid="granted-scope"
                  className={`rounded-md px-2 py-0.5 text-xs ${group.chip}`}
                >
                  {scopeLabel(provider, scope) ?? scope}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

/** A time as "3 min ago", the exact time on hover. */
function When({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={exactTime(date)}>
      {relativeTime(date, now)}
    </time>
  );
}

const toneDot = {
  good: "bg-emerald-500",
  bad: "bg-red-500",
  neutral: "bg-zinc-400 dark:bg-zinc-500",
} as const;

/** The account's latest events in plain words (lib/words/activity.ts), behind a disclosure. */
function Activity({
  provider,
  events,
  now,
}: {
  provider: CardProvider;
  events: readonly ConnectionEvent[];
  now: Date;
}) {
  return (
    <details className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="activity">
      <summary className="cursor-pointer select-none hover:text-zinc-700 dark:hover:text-zinc-200">
        Activity{events.length > 0 ? ` (${events.length})` : ""}
      </summary>
      {events.length === 0 ? (
        <p className="mt-1">Nothing yet.</p>
      ) : (
        <ol className="mt-1.5 space-y-1" aria-label={`Activity of this ${provider.label} account`}>
          {events.map((event) => (
            <li
              key={event.id}
              data-testid="activity-item"
              data-type={event.type}
              className="flex min-w-0 flex-col gap-x-3 sm:flex-row sm:items-baseline sm:justify-between"
            >
              <span className="flex min-w-0 items-baseline gap-2 text-zinc-700 dark:text-zinc-300">
                <span
                  aria-hidden
                  className={`size-1.5 shrink-0 translate-y-[-1px] rounded-full ${toneDot[eventTone(event.type)]}`}
                />
                <span className="min-w-0 break-words" data-testid="activity-text">
                  {describeEvent(event, provider)}
                </span>
              </span>
              <span className="shrink-0 pl-3.5 sm:pl-0">
                <When date={event.createdAt} now={now} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
