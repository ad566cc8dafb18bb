import { describe, expect, it } from "vitest";
import { devAddressPage, devAddressRedirect } from "./dev-address";

const request = (overrides: Partial<Parameters<typeof devAddressRedirect>[0]>) =>
  devAddressRedirect({
    method: "GET",
    host: "127.0.0.1:3000",
    pathAndQuery: "/sign-in?callbackUrl=%2Fsettings",
    protocol: "http:",
    authUrl: undefined,
    ...overrides,
  })?.href;

describe("devAddressRedirect", () => {
  it("sends 127.0.0.1 and [::1] to localhost, same port, path and query", () => {
    expect(request({})).toBe("http://localhost:3000/sign-in?callbackUrl=%2Fsettings");
    expect(request({ host: "[::1]:3000", pathAndQuery: "/" })).toBe("http://localhost:3000/");
  });

  it("sends any loopback name to AUTH_URL's origin when AUTH_URL is set", () => {
    expect(request({ host: "localhost:4000", authUrl: "http://127.0.0.1:4000" })).toBe(
      "http://127.0.0.1:4000/sign-in?callbackUrl=%2Fsettings",
    );
    expect(request({ host: "127.0.0.1:3000", authUrl: "http://localhost:3001/" })).toBe(
      "http://localhost:3001/sign-in?callbackUrl=%2Fsettings",
    );
  });

  it("leaves requests at the app's own address alone", () => {
    expect(request({ host: "localhost:3000" })).toBeUndefined();
    expect(request({ host: "127.0.0.1:3000", authUrl: "http://127.0.0.1:3000" })).toBeUndefined();
  });

  it("never redirects elsewhere: a path naming another host stays on the app's origin", () => {
    expect(request({ pathAndQuery: "//evil.example/x?y=1" })).toBe("http://localhost:3000/x?y=1");
    expect(request({ pathAndQuery: "/\\evil.example" })).toMatch(/^http:\/\/localhost:3000\//);
  });

  it("leaves other hosts (a proxy's, a LAN address) and non-loopback AUTH_URLs alone", () => {
    expect(request({ host: "app.example.com" })).toBeUndefined();
    expect(request({ host: "192.168.1.20:3000" })).toBeUndefined();
    expect(request({ host: "127.0.0.1:3000", authUrl: "https://app.example.com" })).toBeUndefined();
    expect(request({ host: null })).toBeUndefined();
    expect(request({ host: "bad host" })).toBeUndefined();
  });

  it("leaves posts alone: a redirect would drop or repeat their body", () => {
    expect(request({ method: "POST" })).toBeUndefined();
  });
});

describe("devAddressPage", () => {
  it("moves on to the app's address and says it, with the URL escaped", () => {
    const page = devAddressPage(new URL('http://localhost:3000/sign-in?a="><script>'));
    expect(page).toContain(
      '<meta http-equiv="refresh" content="0; url=http://localhost:3000/sign-in?a=%22%3E%3Cscript%3E">',
    );
    expect(page).toContain("In development this app is at http://localhost:3000");
    expect(page).not.toContain("<script>");
    expect(page).toContain('<link rel="icon" href="data:,">');
  });
});
