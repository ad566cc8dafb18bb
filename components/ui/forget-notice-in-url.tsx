"use client";

import { useEffect } from "react";

/**
 * Takes the one-time notice parameters (`?notice=…`, `?error=…`) out of the address once the page
 * has shown them, so a reload or a shared link does not announce the same thing again.
 */
export function ForgetNoticeInUrl({ names }: { names: readonly string[] }) {
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!names.some((name) => url.searchParams.has(name))) return;
    for (const name of names) url.searchParams.delete(name);
    window.history.replaceState(window.history.state, "", url);
  }, [names]);
  return null;
}
