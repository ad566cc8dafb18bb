// Times the database compares with its own clock (the sweep's keep-alive, the once-a-minute note of
// use) are written on that clock, however far the app's is off (docs/security.md#one-clock).
import { afterEach, describe, expect, it, vi } from "vitest";
import { authorizeGoogle } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getAccessToken } from "./access-token";

const stack = sandboxAndDatabaseForThisFile();
afterEach(() => vi.useRealTimers());

/** Sets the app's clock `skewMs` off the database's. */
async function appClockOff(skewMs: number): Promise<void> {
  const [{ now }] = await stack.db().$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now.getTime() + skewMs);
}

/** How many seconds ago, by the database's clock, each time of the account was written. */
async function secondsAgo(providerAccountId: string) {
  const [row] = await stack.db().$queryRaw<
    [{ createdAt: number; refreshedAt: number | null; lastUsedAt: number | null }]
  >`
    SELECT extract(epoch FROM (now() AT TIME ZONE 'UTC') - "createdAt")::float AS "createdAt",
           extract(epoch FROM (now() AT TIME ZONE 'UTC') - "refreshedAt")::float AS "refreshedAt",
           extract(epoch FROM now() - "lastUsedAt")::float AS "lastUsedAt"
    FROM "Account" WHERE "providerAccountId" = ${providerAccountId}`;
  return row;
}

const nearNow = (seconds: number | null) => seconds !== null && Math.abs(seconds) < 30;

describe("times compared on the database's clock are written on it", () => {
  for (const skewMs of [3600_000, -3600_000]) {
    it(`with the app's clock ${skewMs > 0 ? "an hour ahead" : "an hour behind"}: linked, refreshed, used`, async () => {
      const tokens = await authorizeGoogle(stack.sandbox().url, { email: `clock-${skewMs}@example.com` });
      await appClockOff(skewMs);
      const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
      expect(nearNow((await secondsAgo(providerAccountId)).createdAt)).toBe(true);

      await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
      expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
      const refreshed = await secondsAgo(providerAccountId);
      expect(nearNow(refreshed.refreshedAt)).toBe(true);
      expect(nearNow(refreshed.lastUsedAt)).toBe(true);

      // Two minutes later by the database's clock, the next use is noted again.
      await stack.db()
        .$executeRaw`UPDATE "Account" SET "lastUsedAt" = "lastUsedAt" - interval '2 minutes' WHERE "providerAccountId" = ${providerAccountId}`;
      expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
      expect(nearNow((await secondsAgo(providerAccountId)).lastUsedAt)).toBe(true);
    });
  }
});
