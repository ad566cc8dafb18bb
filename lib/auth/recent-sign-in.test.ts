import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../db";
import { createAdapter } from "./adapter";
import { isRecentlyReverified } from "./recent-sign-in";

const db = getDb();
afterAll(() => db.$disconnect());
afterEach(() => vi.useRealTimers());

const HOUR_MS = 3600_000;

/** The database's clock, so the app's can be set an hour off it. */
async function databaseNow(): Promise<number> {
  const [{ now }] = await db.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  return now.getTime();
}

/** A new session created the way Auth.js creates one at sign-in, with the app's clock `skewMs` off the database's. */
async function signInWithAppClockOff(skewMs: number): Promise<string> {
  const user = await db.user.create({ data: {} });
  const now = await databaseNow();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now + skewMs);
  await createAdapter(db).createSession!({
    sessionToken: randomBytes(32).toString("base64url"),
    userId: user.id,
    expires: new Date(Date.now() + 30 * 24 * HOUR_MS),
  });
  const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
  return session.id;
}

/** Moves a session's verification into the past by `minutes` of the database's clock. */
async function ageVerification(sessionId: string, minutes: number): Promise<void> {
  await db.$executeRaw`UPDATE "Session" SET "verifiedAt" = "verifiedAt" - make_interval(mins => ${minutes}) WHERE id = ${sessionId}`;
}

describe("the recent-verification window runs on the database's clock", () => {
  for (const [label, skewMs] of [
    ["an hour ahead", HOUR_MS],
    ["an hour behind", -HOUR_MS],
  ] as const) {
    it(`with the app's clock ${label}: fresh at sign-in, stale 11 minutes later`, async () => {
      const sessionId = await signInWithAppClockOff(skewMs);
      expect(await isRecentlyReverified(sessionId)).toBe(true);
      await ageVerification(sessionId, 9);
      expect(await isRecentlyReverified(sessionId)).toBe(true);
      await ageVerification(sessionId, 2);
      expect(await isRecentlyReverified(sessionId)).toBe(false);
    });
  }
});
