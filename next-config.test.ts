import { afterEach, expect, it, vi } from "vitest";

const before = process.env.NEXT_TELEMETRY_DISABLED;
afterEach(() => {
  if (before === undefined) delete process.env.NEXT_TELEMETRY_DISABLED;
  else process.env.NEXT_TELEMETRY_DISABLED = before;
});

it.each([
  [undefined, "1"],
  ["", "1"],
  ["1", "1"],
  ["0", undefined],
])("Next.js telemetry: NEXT_TELEMETRY_DISABLED=%j reads as %j once next.config.ts is loaded", async (given, seen) => {
  if (given === undefined) delete process.env.NEXT_TELEMETRY_DISABLED;
  else process.env.NEXT_TELEMETRY_DISABLED = given;
  vi.resetModules();
  await import("./next.config");
  expect(process.env.NEXT_TELEMETRY_DISABLED).toBe(seen);
});
