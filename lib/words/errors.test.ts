import { describe, expect, it } from "vitest";
import { authErrorText } from "./errors";

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

  it.each(["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"])(
    "a prototype name (%s) is an unknown code",
    (code) => {
      expect(authErrorText(code)).toEqual({
        title: "Something went wrong while signing in",
        body: "Please try again. If it keeps happening, try another provider.",
      });
    },
  );
});
