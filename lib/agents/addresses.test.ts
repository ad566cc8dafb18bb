import { describe, expect, it } from "vitest";
import { isLoopbackAddress, isPrivateAddress, redirectUriProblem } from "./addresses";
import { documentUrlProblem } from "./client-metadata-document";

describe("addresses an agent may not lead the server to", () => {
  it("private, link-local, CGNAT and reserved ranges, also IPv4 inside IPv6", () => {
    for (const address of ["10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["fd00::1", "fe80::1", "::ffff:10.0.0.1", "::"])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["8.8.8.8", "2606:4700::1111", "127.0.0.1"])
      expect(isPrivateAddress(address), address).toBe(false);
    expect(isLoopbackAddress("127.0.0.2")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
  });

  it("redirect URIs: https on a public host, or http on loopback", () => {
    expect(redirectUriProblem("https://claude.ai/api/mcp/auth_callback")).toBeUndefined();
    expect(redirectUriProblem("http://localhost:6274/oauth/callback")).toBeUndefined();
    expect(redirectUriProblem("http://127.0.0.1:33418/callback")).toBeUndefined();
    expect(redirectUriProblem("http://[::1]:8080/cb")).toBeUndefined();
    expect(redirectUriProblem("http://example.com/cb")).toBe("is http off loopback");
    expect(redirectUriProblem("https://10.0.0.1/cb")).toBe("points at a private address");
    expect(redirectUriProblem("https://0xa000001/cb")).toBe("points at a private address"); // 10.0.0.1 written in hex
    expect(redirectUriProblem("cursor://callback")).toBe("is neither https nor http");
    expect(redirectUriProblem("https://user:pw@example.com/cb")).toBe("carries credentials");
  });

  it("metadata document URLs: https with a path; loopback only where allowed", () => {
    expect(documentUrlProblem("https://agent.example/client.json", false)).toBeUndefined();
    expect(documentUrlProblem("https://agent.example/", false)).toBe("has no path");
    expect(documentUrlProblem("http://agent.example/client.json", false)).toBe("is not https");
    expect(documentUrlProblem("http://127.0.0.1:8080/client.json", false)).toBe("points at this machine");
    expect(documentUrlProblem("http://127.0.0.1:8080/client.json", true)).toBeUndefined();
    expect(documentUrlProblem("https://[fe80::1]/client.json", true)).toBe("points at a private address");
  });
});
