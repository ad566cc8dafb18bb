import { describe, expect, it } from "vitest";
import { errorTextFromUrl, noticeText } from "./errors";

const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__"];

describe("codes that arrive in a URL", () => {
  it.each(PROTOTYPE_NAMES)("%s is not one of ours: no error text, no notice, no throw", (name) => {
    expect(errorTextFromUrl(name)).toBeUndefined();
    expect(noticeText(name, "Google")).toBeUndefined();
  });

  it("our own codes still read as text", () => {
    expect(errorTextFromUrl("rate_limited")).toMatch(/Too many requests/);
    expect(noticeText("disconnected", "GitHub")).toBe("GitHub disconnected, and its access was revoked at GitHub.");
  });
});
