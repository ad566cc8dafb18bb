"use client";

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { RetryingUnavailable } from "@/components/ui/retrying-unavailable";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/database-fault";

/** A page that failed unexpectedly: say so, and offer a way on. The server has logged the error. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  if (error.digest === DATABASE_UNAVAILABLE_DIGEST) return <RetryingUnavailable />;
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-6 px-4 py-12 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">This page could not be shown</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Something went wrong on our side. Nothing you did was lost; try again in a moment.
        {error.digest ? ` (Reference ${error.digest}.)` : ""}
      </p>
      <div className="flex justify-center gap-3">
        <button type="button" onClick={reset} className={buttonClasses("primary")}>
          Try again
        </button>
        <Link href="/" className={buttonClasses("secondary")}>
          Go home
        </Link>
      </div>
    </main>
  );
}
