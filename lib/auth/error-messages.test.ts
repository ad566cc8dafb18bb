import { describe, expect, it } from "vitest";
import { authErrorText, safeCallbackPath } from "./error-messages";

describe("authErrorText", () => {
  it("explains OAuthAccountNotLinked in plain words", () => {
    expect(authErrorText("OAuthAccountNotLinked")?.body).toContain(
      "Sign in with the provider you used before, then link this one from Settings",
    );
  });

  it("has a fallback for unknown codes and nothing without a code", () => {
    expect(authErrorText("SomethingNew")?.title).toMatch(/went wrong/);
    expect(authErrorText(undefined)).toBeUndefined();
  });
});

describe("safeCallbackPath", () => {
  it.each([
    ["/settings?tab=1", "/settings?tab=1"],
    ["//evil.example/x", "/"],
    ["https://evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example/", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/settings#top", "/settings#top"],
    [undefined, "/"],
    [["/a"], "/"],
  ])("%j → %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });
});
