import { describe, expect, it } from "vitest";
import { confirmationText, grantResult } from "./confirmations";
import { errorTextFromUrl } from "./errors";

const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];

describe("codes that arrive in a URL", () => {
  it.each(PROTOTYPE_NAMES)("%s is not one of ours: no error text, no confirmation, no throw", (name) => {
    expect(errorTextFromUrl(name)).toBeUndefined();
    expect(confirmationText(name, "Google")).toBeUndefined();
  });

  it("our own codes still read as text", () => {
    expect(errorTextFromUrl("rate_limited")).toMatch(/Too many requests/);
    expect(confirmationText("disconnected", "GitHub")).toBe(
      "GitHub disconnected, and its access was revoked at GitHub.",
    );
  });
});

describe("grantResult", () => {
  const label = (scope: string) =>
    ({ drive: "See your Drive files", calendar: "See your Calendar events" })[scope] ?? scope;

  it("confirms a grant in words when everything asked for was granted", () => {
    expect(grantResult(["drive"], () => true, label)).toEqual({
      tone: "success",
      text: "Access granted: See your Drive files.",
    });
  });

  it("says what the user did not allow when the provider granted less than asked", () => {
    const notice = grantResult(["drive", "calendar"], (scope) => scope === "drive", label);
    expect(notice.tone).toBe("error");
    expect(notice.text).toContain("You did not allow: See your Calendar events.");
    expect(notice.text).not.toContain("Drive");
  });
});
