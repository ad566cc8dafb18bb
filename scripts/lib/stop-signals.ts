// Imported first by scripts/worker.ts, so that a SIGINT or SIGTERM that arrives while the rest of
// the worker still loads (a `docker stop` right after the start) is noted rather than fatal.

let requested = false;
const listeners = new Set<() => void>();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (requested) {
      // A second signal: leave now. Leases of refreshes under way expire within 12 s.
      console.info(`worker: stopped on a second ${signal}, before the work under way had finished`);
      process.exit(1);
    }
    requested = true;
    for (const listener of listeners) listener();
  });
}

/** Whether a stop was asked for. */
export const stopRequested = (): boolean => requested;

/** Calls `listener` once a stop is asked for (at once if it already was); returns its removal. */
export function onStopRequest(listener: () => void): () => void {
  if (requested) {
    listener();
    return () => {};
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
