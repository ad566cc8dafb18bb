/**
 * How long a worker with some free slots, but fewer than half, waits for more to free up before it
 * claims anyway: items stuck until their timeout must not hold back the claims of the rest.
 */
const BATCH_WAIT_MS = 250;

/**
 * Works through claimed items with at most `concurrency` in flight: claims as many as there is
 * room for, starts each, and claims again once half the slots are free (or some are, and nothing
 * finished for BATCH_WAIT_MS), until a claim comes back short (nothing more is due) or the
 * deadline passes, then waits for the rest. Items that finish one at a time (their database work
 * takes turns, lib/connected-accounts/refresh.ts) are so claimed in batches, not with a statement
 * each. One slow item (a provider or receiver that hangs until its timeout) holds one slot, never
 * the others. Returns how many were claimed.
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
  let waitedLongEnough = false;
  for (;;) {
    const room = concurrency - running.size;
    const worthClaiming = room >= Math.ceil(concurrency / 2) || (room > 0 && waitedLongEnough);
    if (dueLeft && worthClaiming && Date.now() < deadline) {
      const claimed = await claim(room);
      dueLeft = claimed.length === room;
      claimedCount += claimed.length;
      for (const item of claimed) {
        const working: Promise<void> = work(item).finally(() => running.delete(working));
        running.add(working);
      }
      waitedLongEnough = false;
      continue; // some may have finished during the claim: look at the room again
    }
    if (running.size === 0) return claimedCount;
    waitedLongEnough = await nextFinishedWithin(running, BATCH_WAIT_MS).then((finished) => !finished);
  }
}

/** Whether one of `running` finishes within `ms`. */
async function nextFinishedWithin(running: Set<Promise<void>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.race(running).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
