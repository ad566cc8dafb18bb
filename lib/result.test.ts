import { describe, expect, it } from "vitest";
import { describeError, failure } from "./result";

describe("describeError", () => {
  it("keeps a plain message as it is", () => {
    expect(describeError(new Error("token endpoint unreachable"))).toBe("token endpoint unreachable");
    expect(describeError("a string")).toBe("a string");
  });

  it("gives one line for Prisma's multi-line messages: the one that says what happened", () => {
    const prisma = new Error(
      "\nInvalid `prisma.$executeRaw()` invocation:\n\n\nRaw query failed. Code: `57P01`. Message: `server restarting`",
    );
    expect(describeError(prisma)).toBe("Raw query failed. Code: `57P01`. Message: `server restarting`");
  });
});

describe("failure", () => {
  it("carries the code, the detail and any extra fields", () => {
    expect(failure("rate_limited", "6 of 5", { retryAfterSeconds: 30 })).toEqual({
      ok: false,
      error: { code: "rate_limited", detail: "6 of 5", retryAfterSeconds: 30 },
    });
  });
});
