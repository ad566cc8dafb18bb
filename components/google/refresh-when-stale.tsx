"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

// Reasons already acted on in this document: a second render with the same finding (the record
// could not be corrected) must not refresh again, or the page would loop.
const refreshedFor = new Set<string>();

/**
 * A panel learned something the cards above it, rendered first, do not show yet (a scope was
 * withdrawn at the provider): render the page again, so they agree. A status the panel learned
 * goes through ReportAccountStatus instead (components/connected-accounts/account-status.tsx).
 */
export function RefreshWhenStale({ reason }: { reason: string }) {
  const router = useRouter();
  useEffect(() => {
    if (refreshedFor.has(reason)) return;
    refreshedFor.add(reason);
    router.refresh();
  }, [reason, router]);
  return null;
}
