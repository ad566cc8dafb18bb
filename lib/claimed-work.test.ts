import { describe, expect, it } from "vitest";
import { workThroughClaims } from "./claimed-work";

/** A queue of `count` items to claim from, with the size of every claim made. */
function dueItems(count: number) {
  const due = Array.from({ length: count }, (_, index) => index);
  const claims: number[] = [];
  const claim = async (limit: number) => {
    const claimed = due.splice(0, limit);
    claims.push(claimed.length);
    return claimed;
  };
  return { claim, claims };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("workThroughClaims", () => {
  it("claims in batches when items finish one at a time, never more than the room", async () => {
    const { claim, claims } = dueItems(100);
    let inFlight = 0;
    let mostInFlight = 0;
    // Each item's last step takes its turn, as refreshes' writes do: they finish one at a time.
    let turn = Promise.resolve();
    const work = async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const mine = turn.then(() => sleep(1));
      turn = mine;
      await mine;
      inFlight -= 1;
    };

    expect(await workThroughClaims({ concurrency: 10, deadline: Infinity, claim, work })).toBe(100);
    expect(mostInFlight).toBe(10);
    // A claim per finished item would be about 90 claims.
    expect(claims.length).toBeLessThanOrEqual(100 / 5 + 1);
  });

  it("items stuck until their timeout do not hold back the others for longer than a short wait", async () => {
    const { claim } = dueItems(8);
    let release = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const done: number[] = [];
    const work = async (item: number) => {
      if (item < 3) await stuck; // 3 of 4 slots hang
      done.push(item);
    };

    const worked = workThroughClaims({ concurrency: 4, deadline: Infinity, claim, work });
    await sleep(5 * 250 + 500);
    // The fourth slot went on: 5 items, each claimed after at most one wait.
    expect(done.sort()).toEqual([3, 4, 5, 6, 7]);
    release();
    expect(await worked).toBe(8);
  });
});
