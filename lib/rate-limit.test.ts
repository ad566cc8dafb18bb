import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "./db";
import { takeRateLimit } from "./rate-limit";

afterAll(() => getDb().$disconnect());

// Defaults from lib/env.ts: 10 account changes and 120 token reads per user per minute.
const ACCOUNT_CHANGES_PER_MINUTE = 10;
const MINUTE = 60_000;
const windowStart = Math.floor(Date.now() / MINUTE) * MINUTE;

async function take(userId: string, times: number, bucket: "token" | "account_change", now: number) {
  return Promise.all(Array.from({ length: times }, () => takeRateLimit(userId, bucket, now)));
}

describe("takeRateLimit (real PostgreSQL)", () => {
  it("50 concurrent requests against a limit of 10: exactly 10 pass, the rest get the seconds left in the window", async () => {
    const outcomes = await take(randomUUID(), 50, "account_change", windowStart + 15_000);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(ACCOUNT_CHANGES_PER_MINUTE);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual(Array(40).fill({ ok: false, retryAfterSeconds: 45 }));
  });

  it("counts each user and each bucket separately", async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    await take(alice, ACCOUNT_CHANGES_PER_MINUTE, "account_change", windowStart);
    expect(await takeRateLimit(alice, "account_change", windowStart)).toMatchObject({ ok: false });
    expect(await takeRateLimit(bob, "account_change", windowStart)).toEqual({ ok: true, remaining: ACCOUNT_CHANGES_PER_MINUTE - 1 });
    expect(await takeRateLimit(alice, "token", windowStart)).toMatchObject({ ok: true });
  });

  it("starts over in the next window", async () => {
    const user = randomUUID();
    await take(user, ACCOUNT_CHANGES_PER_MINUTE + 1, "account_change", windowStart + 59_000);
    expect(await takeRateLimit(user, "account_change", windowStart + 59_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await takeRateLimit(user, "account_change", windowStart + MINUTE)).toEqual({
      ok: true,
      remaining: ACCOUNT_CHANGES_PER_MINUTE - 1,
    });
  });
});
