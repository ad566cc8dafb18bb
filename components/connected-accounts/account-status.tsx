"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useId, useLayoutEffect, useState, type ReactNode } from "react";
import type { AccountHealth } from "@/lib/connected-accounts";
import { HealthBadge } from "./health-badge";

// One source of truth for an account's status on the Connected accounts page.
//
// Why: the account cards are rendered first and the Google panels stream in after them (Suspense).
// A panel can learn, by calling Google, that the grant is gone (401 → refresh → invalid_grant): the
// server marks the account needs_reconnect in the database, but the card above it has already been
// sent saying Active. The page must never say both. So:
//   1. each card's badge registers the status it was rendered with;
//   2. a panel that learned a status renders <ReportAccountStatus>; while it is on the page the
//      badge shows what the panel learned, at once;
//   3. if that differs from what the card was rendered with, the reporter asks for the page once
//      more (router.refresh()), so the card, its Reconnect button and its activity come from the
//      database, which now agrees.
// No loop: after the refresh the card renders the database's status, which matches, so nothing is
// left to correct; and a mismatch already acted on (a status the database could not take) is never
// refreshed for again while the page is open.
// A panel that used the account successfully reports that use the same way, so the card's "Last
// used" line never says "Not used yet" under a panel that has just shown the account's data.

type Report = { accountId: string; health?: AccountHealth; usedBy?: string };
type Reports = ReadonlyMap<string, Report>;

/** What never changes while the page is open: the registries and the way to report. */
type Registry = {
  /** What the cards were rendered with, by account id (written before any report is read). */
  rendered: Map<string, AccountHealth>;
  /** Mismatches already refreshed for. */
  refreshedFor: Set<string>;
  setReports: (update: (reports: Reports) => Reports) => void;
};

const RegistryContext = createContext<Registry | null>(null);
/** What mounted panels learned, by reporter. */
const ReportsContext = createContext<Reports>(new Map());

/** Wraps the cards and the panels of one page. */
export function AccountStatusProvider({ children }: { children: ReactNode }) {
  const [reports, setReports] = useState<Reports>(new Map());
  const [registry] = useState<Registry>(() => ({ rendered: new Map(), refreshedFor: new Set(), setReports }));
  return (
    <RegistryContext.Provider value={registry}>
      <ReportsContext.Provider value={reports}>{children}</ReportsContext.Provider>
    </RegistryContext.Provider>
  );
}

/** The card's status badge: what the card was rendered with, unless a panel on the page has learned otherwise. */
export function LiveHealthBadge({ accountId, health }: { accountId: string; health: AccountHealth }) {
  const registry = useContext(RegistryContext);
  const reports = useContext(ReportsContext);
  // A layout effect: it runs before the passive effects of the same commit, so a panel streamed in
  // with the card compares against this render's status.
  useLayoutEffect(() => {
    registry?.rendered.set(accountId, health);
  }, [registry, accountId, health]);
  const learned = [...reports.values()].find((report) => report.accountId === accountId && report.health)?.health;
  return <HealthBadge health={learned ?? health} />;
}

/**
 * The card's "Last used" line: as the card rendered it (`children`), unless a panel on the page has
 * just used the account (successfully: a failed call is no use).
 */
export function LiveLastUsed({ accountId, children }: { accountId: string; children: ReactNode }) {
  const reports = useContext(ReportsContext);
  const usedNow = [...reports.values()].find((report) => report.accountId === accountId && report.usedBy)?.usedBy;
  return usedNow ? <>Last used just now by {usedNow}</> : children;
}

/** Rendered by a panel that has just used an account successfully, for `feature` ("Drive"). */
export function ReportAccountUse({ accountId, feature }: { accountId: string; feature: string }) {
  const registry = useContext(RegistryContext);
  const reporter = useId();
  useEffect(() => {
    if (!registry) return;
    const { setReports } = registry;
    setReports((reports) => new Map(reports).set(reporter, { accountId, usedBy: feature }));
    return () =>
      setReports((reports) => {
        const next = new Map(reports);
        next.delete(reporter);
        return next;
      });
  }, [registry, accountId, feature, reporter]);
  return null;
}

/** Rendered by a panel that learned an account's status from the provider (see the comment above). */
export function ReportAccountStatus({ accountId, health }: { accountId: string; health: AccountHealth }) {
  const registry = useContext(RegistryContext);
  const router = useRouter();
  const reporter = useId();
  useEffect(() => {
    if (!registry) return;
    const { setReports, rendered, refreshedFor } = registry;
    setReports((reports) => new Map(reports).set(reporter, { accountId, health }));
    const shown = rendered.get(accountId);
    const mismatch = `${accountId}:${shown}→${health}`;
    if (shown !== undefined && shown !== health && !refreshedFor.has(mismatch)) {
      refreshedFor.add(mismatch);
      router.refresh();
    }
    return () =>
      setReports((reports) => {
        const next = new Map(reports);
        next.delete(reporter);
        return next;
      });
  }, [registry, accountId, health, reporter, router]);
  return null;
}
