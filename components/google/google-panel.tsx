import type { ReactNode } from "react";
import Link from "next/link";
import { ReportAccountStatus, ReportAccountUse } from "@/components/connected-accounts/account-status";
import { ConnectButton } from "@/components/connected-accounts/connect-button";
import { buttonClasses } from "@/components/ui/button";
import type { AccessTokenError, AccountHealth } from "@/lib/connected-accounts";
import { connectedAccountErrorText } from "@/lib/words";
import type { GoogleResult } from "@/lib/google";
import { google, grantIncludes, scopeLabel } from "@/lib/providers";
import { failure } from "@/lib/result";
import { PanelFrame } from "./panel-frame";
import { RefreshWhenStale } from "./refresh-when-stale";

/**
 * The Google account the panels use, as its card above them shows it. A panel that learns its
 * status from Google reports it to the card (ReportAccountStatus); one that finds a scope gone
 * that the card still lists renders the page again (RefreshWhenStale).
 */
export type ShownGoogleAccount =
  { accountId: string; health: AccountHealth; grantedScopes: readonly string[] } | undefined;

type GooglePanelProps<T> = {
  id: string;
  title: string;
  /** The scopes the panel's call needs (lib/google GOOGLE_SCOPES). */
  scopes: readonly string[];
  load: () => Promise<GoogleResult<T>>;
  render: (data: T) => ReactNode;
  connectAction: (formData: FormData) => Promise<void>;
  shown: ShownGoogleAccount;
};

/**
 * One Google feature: its data, or what stands in the way. The account's card above owns its
 * status and its one Reconnect button: a panel of an account that needs reconnecting does not call
 * Google, and points to the card, or offers Grant access when it needs what was never granted.
 */
export async function GooglePanel<T>({ id, title, scopes, load, render, connectAction, shown }: GooglePanelProps<T>) {
  const needsReconnect = shown?.health === "needs_reconnect";
  const result = needsReconnect ? failure("reconnect_required", "the card says so") : await load();
  const problem = result.ok ? undefined : asShown(result.error, scopes, shown);
  const stale = problem !== undefined && scopesContradict(problem, shown);
  const learnedReconnect = !needsReconnect && problem?.code === "reconnect_required";
  return (
    <PanelFrame id={id} title={title} state={problem?.code ?? "ok"}>
      {result.ok ? render(result.data) : <PanelProblem error={problem!} connectAction={connectAction} />}
      {result.ok ? <ReportAccountUse accountId={result.use.accountId} feature={result.use.feature} /> : null}
      {learnedReconnect && shown ? <ReportAccountStatus accountId={shown.accountId} health="needs_reconnect" /> : null}
      {stale ? <RefreshWhenStale reason={`${id}:${problem.code}`} /> : null}
    </PanelFrame>
  );
}

/**
 * The problem as this page tells it: a panel whose scopes were never granted needs them granted
 * (Grant access, which also renews the grant), not a reconnect, whatever else is wrong.
 */
function asShown(error: AccessTokenError, scopes: readonly string[], shown: ShownGoogleAccount): AccessTokenError {
  if (error.code !== "reconnect_required" || !shown) return error;
  const missingScopes = scopes.filter((scope) => !grantIncludes(google, shown.grantedScopes, scope));
  return missingScopes.length > 0 ? { code: "missing_scopes", detail: error.detail, missingScopes } : error;
}

/** Google refused a scope the card lists as granted (the record has just been corrected). */
function scopesContradict(error: AccessTokenError, shown: ShownGoogleAccount): boolean {
  if (!shown || error.code !== "missing_scopes") return false;
  return (error.missingScopes ?? []).some((scope) => grantIncludes(google, shown.grantedScopes, scope));
}

/** The missing scopes in words, as the rest of a sentence: "see your Google Calendar events". */
function neededPermissions(error: AccessTokenError): string {
  const words = new Set((error.missingScopes ?? []).map((scope) => scopeLabel(google, scope) ?? scope));
  const phrase = [...words].join("; ");
  return phrase.charAt(0).toLowerCase() + phrase.slice(1);
}

function PanelProblem({
  error,
  connectAction,
}: {
  error: AccessTokenError;
  connectAction: (formData: FormData) => Promise<void>;
}) {
  const text = <p className="text-sm text-zinc-600 dark:text-zinc-400">{connectedAccountErrorText(error.code)}</p>;
  switch (error.code) {
    case "missing_scopes":
      return (
        <div className="space-y-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This needs your permission to{" "}
            <strong className="font-medium text-zinc-900 dark:text-zinc-100">{neededPermissions(error)}</strong>.
          </p>
          <ConnectButton
            action={connectAction}
            provider="google"
            purpose="consent"
            scopes={error.missingScopes}
            label="Grant access"
            variant="primary"
          />
        </div>
      );
    case "reconnect_required":
      // The card above says why and has the one Reconnect button.
      return (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="panel-waits-for-reconnect">
          Paused until you reconnect the Google account above.
        </p>
      );
    case "not_linked":
      return (
        <div className="space-y-3">
          {text}
          <ConnectButton
            action={connectAction}
            provider="google"
            purpose="link"
            label="Connect Google"
            variant="primary"
          />
        </div>
      );
    case "provider_unavailable":
      return (
        <div className="space-y-3">
          {text}
          <Link href="/settings/connected-accounts" prefetch={false} className={buttonClasses("secondary")}>
            Try again
          </Link>
        </div>
      );
  }
}

export function PanelSkeleton({ id, title }: { id: string; title: string }) {
  return (
    <PanelFrame id={id} title={title} state="loading">
      <div className="space-y-2" aria-hidden>
        {/* Widths as classes, not style attributes: the CSP allows no inline styles. */}
        {["w-[90%]", "w-[70%]", "w-1/2"].map((width) => (
          <div key={width} className={`h-4 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800 ${width}`} />
        ))}
      </div>
      <span className="sr-only">Loading {title}…</span>
    </PanelFrame>
  );
}
