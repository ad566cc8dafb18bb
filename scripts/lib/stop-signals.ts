// Imported first by scripts/worker.ts, so that a SIGINT or SIGTERM that arrives while the rest of
// the worker still loads (a `docker stop` right after the start) is noted rather than fatal.

let requested: NodeJS.Signals | undefined;
const listeners = new Set<() => void>();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // The same signal again (a second Ctrl-C, a second SIGTERM): leave now. Leases of refreshes
    // under way expire within 12 s. Another one is no hurry: a terminal's Ctrl-C sends SIGINT to the
    // whole process group, and `npm run dev` then sends its worker a SIGTERM of its own.
    if (requested === signal) {
      console.info(`worker: stopped on a second ${signal}, before the work under way had finished`);
      process.exit(1);
    }
    if (requested) return;
    requested = signal;
    for (const listener of listeners) listener();
  });
}

/** Whether a stop was asked for. */
export const stopRequested = (): boolean => requested !== undefined;

/** Calls `listener` once a stop is asked for (at once if it already was); returns its removal. */
export function onStopRequest(listener: () => void): () => void {
  if (requested) {
    listener();
    return () => {};
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
