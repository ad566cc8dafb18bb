import { describe, expect, it } from "vitest";
import { webhookBody } from "./body";

const stored = {
  id: "evt_1",
  type: "connected_account.needs_reconnect",
  userId: "u1",
  accountId: "a1",
  provider: "google",
  reason: "refresh refused: invalid_grant (invalid_rapt)",
  createdAt: new Date("2026-12-06T18:00:00Z"),
};

describe("webhookBody", () => {
  it("carries the cause as a code, beside our own words", () => {
    const body = JSON.parse(webhookBody({ ...stored, detail: { cause: "reauth_required", other: "never sent" } }));
    expect(body.data).toEqual({
      accountId: "a1",
      userId: "u1",
      provider: "google",
      reason: "refresh refused: invalid_grant (invalid_rapt)",
      cause: "reauth_required",
    });
  });

  it("leaves out a cause that is not one of ours", () => {
    expect(JSON.parse(webhookBody({ ...stored, detail: { cause: "made up" } })).data.cause).toBeUndefined();
  });

  it("names the agent of an agent.* event, and the tool it used; nothing else of its detail", () => {
    const detail = { agent: { clientId: "agt_1", name: "Claude" }, tool: "recent_drive_files", other: "never sent" };
    const body = JSON.parse(webhookBody({ ...stored, type: "agent.used", reason: null, detail }));
    expect(body.data).toEqual({
      accountId: "a1",
      userId: "u1",
      provider: "google",
      agent: { clientId: "agt_1", name: "Claude" },
      tool: "recent_drive_files",
    });
  });
});
