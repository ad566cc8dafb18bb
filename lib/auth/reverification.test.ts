import { describe, expect, it } from "vitest";
import { inSignInRequest, noteUnconfirmedSignIn, takeUnconfirmedSignIn } from "./reverification";

describe("unconfirmed sign-ins", () => {
  it("stay with the request that noted them, even for one user signing in twice at once", async () => {
    let releaseWeak!: () => void;
    const weakNoted = new Promise<void>((resolve) => (releaseWeak = resolve));
    const weak = inSignInRequest(async () => {
      noteUnconfirmedSignIn("user-1");
      releaseWeak();
      await new Promise((resolve) => setTimeout(resolve, 10));
      return takeUnconfirmedSignIn("user-1");
    });
    const strong = inSignInRequest(async () => {
      await weakNoted;
      return takeUnconfirmedSignIn("user-1");
    });
    expect(await Promise.all([weak, strong])).toEqual([true, false]);
  });

  it("are taken once", () => {
    inSignInRequest(() => {
      noteUnconfirmedSignIn("user-1");
      expect(takeUnconfirmedSignIn("user-1")).toBe(true);
      expect(takeUnconfirmedSignIn("user-1")).toBe(false);
    });
  });

  it("cannot be noted outside an Auth.js request, where the note would be lost", () => {
    expect(() => noteUnconfirmedSignIn("user-1")).toThrow(/outside inSignInRequest/);
    expect(takeUnconfirmedSignIn("user-1")).toBe(false);
  });
});
