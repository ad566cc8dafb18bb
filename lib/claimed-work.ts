/**
 * Works through claimed items with at most `concurrency` in flight: claims as many as there is
 * room for, starts each, and claims again as soon as one finishes, until a claim comes back short
 * (nothing more is due) or the deadline passes, then waits for the rest. One slow item (a provider
 * or receiver that hangs until its timeout) holds one slot, never the others. Returns how many
 * were claimed.
 */
export async function workThroughClaims<T>(options: {
  concurrency: number;
  deadline: number;
  claim: (limit: number) => Promise<T[]>;
  work: (item: T) => Promise<void>;
}): Promise<number> {
  const { concurrency, deadline, claim, work } = options;
  const running = new Set<Promise<void>>();
  let claimedCount = 0;
  let dueLeft = true;
  for (;;) {
    const room = concurrency - running.size;
    if (dueLeft && room > 0 && Date.now() < deadline) {
      const claimed = await claim(room);
      dueLeft = claimed.length === room;
      claimedCount += claimed.length;
      for (const item of claimed) {
        const working: Promise<void> = work(item).finally(() => running.delete(working));
        running.add(working);
      }
      continue; // some may have finished during the claim: look at the room again
    }
    if (running.size === 0) return claimedCount;
    await Promise.race(running);
  }
}
