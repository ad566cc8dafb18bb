import { describe, expect, it } from "vitest";
import { authorizeGoogle, type TokenAnswer } from "../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getAccessToken } from "./access-token";
import { google } from "../providers/google";
import { reconnectAdvice } from "../words/activity";
import { recentEvents } from "./events";

// What the app makes of each way Google ends a refresh token (sandbox/google-limits.test.ts shows
// the sandbox answers as Google does): the account needs reconnecting, with the words for its cause.
const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const DAY = 24 * 60 * 60;
const stack = sandboxAndDatabaseForThisFile();

/**
 * Links `tokens` to a new user (last changed `idleDays` ago), expires the access token, and asks
 * for a token: what the user gets and is told.
 */
async function afterExpiry(tokens: TokenAnswer, idleDays = 0) {
  const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
  await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "google");
  await stack.db().$executeRaw`
    UPDATE "Account" SET "updatedAt" = "updatedAt" - make_interval(days => ${idleDays}) WHERE "providerAccountId" = ${providerAccountId}`;
  const result = await getAccessToken(userId, { provider: "google" });
  const [events = []] = [...(await recentEvents(userId)).values()];
  return { result, advice: reconnectAdvice(events, google) };
}

const EXPIRED_OR_REVOKED = /Google no longer accepts this app's access: it was removed, or it expired/;

describe("limits that end a Google refresh token, as the app sees them", () => {
  it('"Testing" publishing status: a grant beyond the basics ends after 7 days', async () => {
    await stack.control().publishingStatus("testing");
    const tokens = await authorizeGoogle(stack.sandbox().url, {
      email: "limit-testing@example.com",
      scope: `openid email ${DRIVE}`,
    });
    await stack.control().advanceClock(7 * DAY + 60);
    const { result, advice } = await afterExpiry(tokens);
    expect(result).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    expect(advice).toMatch(EXPIRED_OR_REVOKED);
  });

  it("unused for 6 months: told so when our record shows it (nothing renewed the grant for that long)", async () => {
    const tokens = await authorizeGoogle(stack.sandbox().url, { email: "limit-idle@example.com" });
    await stack.control().advanceClock(190 * DAY);
    const { result, advice } = await afterExpiry(tokens, 190);
    expect(result).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    expect(advice).toBe("Google ends access that goes unused for 6 months. Reconnect to continue.");
  });

  it("the oldest of too many live refresh tokens, dropped silently", async () => {
    await stack.control().refreshTokenLimit(2);
    const email = "limit-many@example.com";
    const oldest = await authorizeGoogle(stack.sandbox().url, { email });
    await authorizeGoogle(stack.sandbox().url, { email });
    await authorizeGoogle(stack.sandbox().url, { email });
    const { result, advice } = await afterExpiry(oldest);
    expect(result).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    expect(advice).toMatch(EXPIRED_OR_REVOKED);
  });

  it("invalid_rapt and admin_policy_enforced: each with its own words", async () => {
    for (const [mode, words] of [
      ["invalid_rapt", /organisation asks you to sign in to Google again/],
      ["admin_policy_enforced", /administrator has blocked this app at Google/],
    ] as const) {
      const tokens = await authorizeGoogle(stack.sandbox().url, { email: `limit-${mode}@example.com` });
      await stack.control().refreshMode("google", mode);
      const { result, advice } = await afterExpiry(tokens);
      await stack.control().refreshMode("google", "normal");
      expect(result, mode).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
      expect(advice, mode).toMatch(words);
    }
  });
});
