import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback-path";

const APP = "https://app.example";

/** What the browser does with the result: it must stay on the app's origin. */
function resolvesOnSite(path: string): boolean {
  const url = new URL(path, APP);
  return url.origin === APP && !path.startsWith("//") && !path.startsWith("/\\");
}

describe("safeCallbackPath: a table of redirect-target bypasses", () => {
  it.each([
    // Kept: paths on this site, resolved as a browser would.
    ["/", "/"],
    ["/settings", "/settings"],
    ["/settings?tab=1", "/settings?tab=1"],
    ["/settings#top", "/settings#top"],
    ["/settings/connected-accounts", "/settings/connected-accounts"],
    ["/a/../settings", "/settings"],
    ["/x/./y", "/x/y"],
    ["/../x", "/x"],
    ["/x?next=//evil.example", "/x?next=//evil.example"],
    ["/#//evil.example", "/#//evil.example"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/ /evil.example", "/%20/evil.example"],
    // Refused: anything that resolves to another origin or to a scheme-relative path.
    ["//evil.example", "/"],
    ["///evil.example", "/"],
    ["//", "/"],
    ["/.//evil.example", "/"],
    ["/./\t/evil.example", "/"],
    ["/a/..//evil.example", "/"],
    ["/..//evil.example", "/"],
    ["/%2e//evil.example", "/"],
    ["/%2E//evil.example", "/"],
    ["/%2e%2e//evil.example", "/"],
    ["/.%2e//evil.example", "/"],
    ["/a/%2e%2e//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/\\/evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\n/evil.example", "/"],
    ["/\r\n/evil.example", "/"],
    ["https://evil.example", "/"],
    ["http:evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["data:text/html,<script>alert(1)</script>", "/"],
    ["evil.example", "/"],
    [" /settings", "/"],
    ["", "/"],
  ])("%j → %j", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([[undefined], [null], [42], [["/a"]], [{ toString: () => "//evil.example" }]])(
    "non-strings (%j) become /",
    (input) => {
      expect(safeCallbackPath(input)).toBe("/");
    },
  );

  it("property: whatever it is given, the result stays on this site and is stable", () => {
    const pieces = [
      "/",
      "\\",
      ".",
      "..",
      "%2e",
      "%2E",
      "%2f",
      "%5c",
      "\t",
      "\n",
      " ",
      "x",
      "evil.example",
      ":",
      "?",
      "#",
      "@",
      "%",
      "~",
    ];
    // mulberry32: a small seeded generator, so a failure names an input that reproduces.
    let seed = 20261123;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    for (let i = 0; i < 5000; i++) {
      const input = "/" + Array.from({ length: 1 + random(8) }, () => pieces[random(pieces.length)]).join("");
      const output = safeCallbackPath(input);
      expect(resolvesOnSite(output), `${JSON.stringify(input)} → ${JSON.stringify(output)}`).toBe(true);
      expect(safeCallbackPath(output), JSON.stringify(input)).toBe(output);
    }
  });
});
