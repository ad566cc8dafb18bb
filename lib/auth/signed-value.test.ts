import { describe, expect, it, vi } from "vitest";
import { readSignedValue, signValue } from "./signed-value";

describe("signed values", () => {
  it("round-trip for their purpose only, and not after they expire", () => {
    const token = signValue("account-flow", { kind: "link", userId: "u1" }, 60);
    expect(readSignedValue("account-flow", token)).toMatchObject({ kind: "link", userId: "u1" });
    expect(readSignedValue("account-change", token)).toBeUndefined();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    expect(readSignedValue("account-flow", token)).toBeUndefined();
    vi.useRealTimers();
  });

  it("refuse anything altered or malformed", () => {
    const token = signValue("account-flow", { userId: "u1" }, 60);
    const [payload, mac] = token.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ userId: "u2", exp: 9e9 })).toString("base64url");
    for (const bad of [
      `${forged}.${mac}`,
      `${payload}.${mac.slice(0, -2)}`,
      `${payload}.${mac}.x`,
      payload,
      "",
      "..",
      42,
      null,
      "__proto__",
    ]) {
      expect(readSignedValue("account-flow", bad), String(bad)).toBeUndefined();
    }
  });
});
