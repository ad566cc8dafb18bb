/** What `retrying` ends with: the attempt's value, or the error of its last try. */
export type Retried<T> = { ok: true; value: T } | { ok: false; lastError: unknown };

/**
 * Runs `attempt` until it resolves, trying again every `intervalMs` while it throws, for at most
 * `forMs`: for a write worth keeping through a short database outage (a provider's answer that
 * cannot be asked for again, a webhook's outcome). `attempt` is told how many tries came before.
 */
export async function retrying<T>(
  attempt: (triesBefore: number) => Promise<T>,
  { forMs, intervalMs }: { forMs: number; intervalMs: number },
): Promise<Retried<T>> {
  const deadline = Date.now() + forMs;
  let lastError: unknown;
  let tries = 0;
  do {
    try {
      return { ok: true, value: await attempt(tries) };
    } catch (error) {
      lastError = error;
      tries += 1;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } while (Date.now() < deadline);
  return { ok: false, lastError };
}
