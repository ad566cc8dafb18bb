import { afterEach, describe, expect, it, vi } from "vitest";
import { healthSummary } from "./account-health-summary";
import { accessTokenUrl, fetchState } from "./hooks";

const fetchMock = vi.fn<typeof fetch>();
vi.stubGlobal("fetch", fetchMock);
afterEach(() => fetchMock.mockReset());

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const pickData = (body: unknown) => (body as { data: string[] }).data;

describe("fetchState, behind useConnectedAccounts and useAccessToken", () => {
  it("asks our API without caching, with the session cookie, and picks the body", async () => {
    fetchMock.mockResolvedValue(json({ data: ["a1"] }));
    expect(await fetchState("/api/connected-accounts", pickData)).toEqual({ status: "ok", data: ["a1"] });
    expect(fetchMock).toHaveBeenCalledWith("/api/connected-accounts", {
      signal: undefined,
      cache: "no-store",
      credentials: "same-origin",
    });
  });

  it("hands on the API's error body: its code, message and what the user can do", async () => {
    const error = {
      code: "missing_scopes",
      message: "This needs more access.",
      missingScopes: ["drive"],
      reconnectUrl: "/settings/connected-accounts?connect=google&scopes=drive",
    };
    fetchMock.mockResolvedValue(json({ error }, 403));
    expect(await fetchState("/x", pickData)).toEqual({ status: "error", error });
  });

  it("names the HTTP status when the body is not the API's", async () => {
    fetchMock.mockResolvedValue(new Response("<html>", { status: 502 }));
    expect(await fetchState("/x", pickData)).toEqual({
      status: "error",
      error: { code: "http_error", message: "HTTP 502" },
    });
  });

  it("says network_error when the request fails, and nothing once the component let go", async () => {
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));
    expect(await fetchState("/x", pickData)).toEqual({
      status: "error",
      error: { code: "network_error", message: "TypeError: fetch failed" },
    });
    const controller = new AbortController();
    controller.abort();
    fetchMock.mockRejectedValue(new DOMException("aborted", "AbortError"));
    expect(await fetchState("/x", pickData, controller.signal)).toBeUndefined();
  });
});

describe("accessTokenUrl", () => {
  it("names the provider, the scopes and the account", () => {
    expect(accessTokenUrl("google")).toBe("/api/connected-accounts/google/token");
    expect(accessTokenUrl("google", { scopes: ["openid", "drive"], providerAccountId: "g 1" })).toBe(
      "/api/connected-accounts/google/token?scopes=openid+drive&providerAccountId=g+1",
    );
  });
});

describe("healthSummary", () => {
  const labels = { google: "Google", github: "GitHub" };
  it("says every account works, or which need reconnecting", () => {
    expect(healthSummary([], labels)).toBe("Every connected account is working.");
    expect(healthSummary(["google"], labels)).toBe("Your Google account needs reconnecting.");
    expect(healthSummary(["google", "github"], labels)).toBe("2 accounts need reconnecting: Google, GitHub.");
  });
});
