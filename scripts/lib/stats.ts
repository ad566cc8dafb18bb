/** Percentile (0–100) of a list of durations, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Times `fn` `count` times in a row (after `warmup` untimed runs); returns milliseconds per run. */
export async function timeRuns(count: number, fn: () => Promise<unknown>, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const durations: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await fn();
    durations.push(performance.now() - started);
  }
  return durations;
}
