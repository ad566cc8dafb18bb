"use client";

import { useEffect } from "react";
import { OUTAGE_RETRY_SECONDS, OUTAGE_TEXT, OUTAGE_TITLE } from "@/lib/outage-words";
import { buttonClasses } from "./button";

/**
 * A page the server could not build because its database is briefly away: says so, keeps the user
 * where they are (still signed in), and reloads by itself every few seconds until it works.
 */
export function RetryingUnavailable() {
  useEffect(() => {
    const timer = setTimeout(() => window.location.reload(), OUTAGE_RETRY_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-6 px-4 py-12 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">{OUTAGE_TITLE}</h1>
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="retrying-unavailable">
        {OUTAGE_TEXT}
      </p>
      <div className="flex justify-center">
        <button type="button" onClick={() => window.location.reload()} className={buttonClasses("primary")}>
          Try again now
        </button>
      </div>
    </main>
  );
}
