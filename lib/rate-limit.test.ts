import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "./db";
import { takeRateLimit } from "./rate-limit";

const db = getDb();
afterAll(() => db.$disconnect());

// Defaults from lib/env.ts: 10 account changes and 120 token reads per user per minute.
const ACCOUNT_CHANGES_PER_MINUTE = 10;

async function take(userId: string, times: number, bucket: "token" | "account_change" = "account_change") {
  return Promise.all(Array.from({ length: times }, () => takeRateLimit(userId, bucket)));
}

/** Windows follow the database's clock; keep a test from straddling one of its minute boundaries. */
beforeEach(async () => {
  const [{ seconds } = { seconds: 0 }] = await db.$queryRaw<
    { seconds: number }[]
  >`SELECT extract(second FROM now())::float AS seconds`;
  if (seconds > 55) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
});
afterEach(() => vi.useRealTimers());

describe("takeRateLimit (real PostgreSQL)", () => {
  it("50 concurrent requests against a limit of 10: exactly 10 pass, the rest get the seconds left in the window", async () => {
    const outcomes = await take(randomUUID(), 50);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(ACCOUNT_CHANGES_PER_MINUTE);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    expect(refused).toHaveLength(40);
    for (const outcome of refused) expect(outcome.ok ? 0 : outcome.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    for (const outcome of refused) expect(outcome.ok ? 0 : outcome.error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("counts each user and each bucket separately", async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    await take(alice, ACCOUNT_CHANGES_PER_MINUTE);
    expect(await takeRateLimit(alice, "account_change")).toMatchObject({ ok: false });
    expect(await takeRateLimit(bob, "account_change")).toEqual({ ok: true, remaining: ACCOUNT_CHANGES_PER_MINUTE - 1 });
    expect(await takeRateLimit(alice, "token")).toMatchObject({ ok: true });
  });

  it("starts over in the next window", async () => {
    const user = randomUUID();
    await take(user, ACCOUNT_CHANGES_PER_MINUTE + 1);
    await db.$executeRaw`UPDATE "RateLimit" SET "windowStart" = "windowStart" - interval '1 minute' WHERE key = ${`account_change:${user}`}`;
    expect(await takeRateLimit(user, "account_change")).toEqual({
      ok: true,
      remaining: ACCOUNT_CHANGES_PER_MINUTE - 1,
    });
  });

  it("instances whose clocks straddle a minute share one window: 40 requests, 10 pass", async () => {
    const user = randomUUID();
    vi.useFakeTimers({ toFake: ["Date"] });
    const boundary = Date.UTC(2026, 10, 23, 12, 0, 0);
    const outcomes = [];
    for (let i = 0; i < 40; i++) {
      vi.setSystemTime(i % 2 === 0 ? boundary - 1_000 : boundary + 1_000); // two instances, 2 s apart
      outcomes.push(await takeRateLimit(user, "account_change"));
    }
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(ACCOUNT_CHANGES_PER_MINUTE);
  });

  it("never resets a window backwards", async () => {
    const user = randomUUID();
    await take(user, ACCOUNT_CHANGES_PER_MINUTE);
    // A window that some clock put ahead of the database's: it stays, and so does its count.
    await db.$executeRaw`UPDATE "RateLimit" SET "windowStart" = "windowStart" + interval '1 minute' WHERE key = ${`account_change:${user}`}`;
    expect(await takeRateLimit(user, "account_change")).toMatchObject({ ok: false });
  });
});
