import { describe, expect, it } from "vitest";
import { reconnectDeadline, type ConnectedAccountSummary } from "./list";

const now = new Date("2026-11-23T12:00:00Z");
const account = (refreshTokenExpiresAt: Date | null, status: ConnectedAccountSummary["status"] = "active") =>
  ({ status, refreshTokenExpiresAt }) as ConnectedAccountSummary;
const inDays = (days: number) => new Date(now.getTime() + days * 24 * 60 * 60 * 1000);

describe("reconnectDeadline", () => {
  it("is the refresh token's end when that is less than 14 days away", () => {
    expect(reconnectDeadline(account(inDays(13)), now)).toEqual(inDays(13));
    expect(reconnectDeadline(account(inDays(-1)), now)).toEqual(inDays(-1));
  });

  it("is nothing for a far end, no known end, or an account that already needs reconnecting", () => {
    expect(reconnectDeadline(account(inDays(15)), now)).toBeUndefined();
    expect(reconnectDeadline(account(null), now)).toBeUndefined();
    expect(reconnectDeadline(account(inDays(3), "needs_reconnect"), now)).toBeUndefined();
  });
});
