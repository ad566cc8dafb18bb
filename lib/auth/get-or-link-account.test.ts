import { beforeEach, describe, expect, it, vi } from "vitest";
import { redirectedTo } from "@/test/vitest/redirected-to";
import { listConnectedAccounts, type ConnectedAccountSummary } from "../connected-accounts";
import { getOrLinkConnectedAccount } from "./get-or-link-account";
import { requireUser } from "./require-user";

vi.mock("./require-user", () => ({ requireUser: vi.fn() }));
vi.mock("../connected-accounts", async (importOriginal) => ({
  connectUrl: (await importOriginal<typeof import("../connected-accounts")>()).connectUrl,
  listConnectedAccounts: vi.fn(),
}));

const user = { id: "u1", name: null, email: null, image: null, sessionId: "s1" };
const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";

function account(fields: Partial<ConnectedAccountSummary>): ConnectedAccountSummary {
  return {
    id: "a1",
    provider: "google",
    providerAccountId: "g1",
    email: "ada@example.com",
    displayName: "Ada",
    avatarUrl: null,
    grantedScopes: ["openid", "email", "profile"],
    status: "active",
    unreadable: null,
    accessTokenExpiresAt: null,
    refreshTokenExpiresAt: null,
    linkedAt: new Date(0),
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastUsedFeature: null,
    canRefresh: true,
    canSignIn: true,
    ...fields,
  };
}

beforeEach(() => {
  vi.mocked(requireUser).mockReset().mockResolvedValue(user);
  vi.mocked(listConnectedAccounts).mockReset().mockResolvedValue([]);
});

describe("getOrLinkConnectedAccount", () => {
  it("returns the user's account that grants the scopes, under any of their names", async () => {
    const plain = account({ id: "a1" });
    const withDrive = account({ id: "a2", providerAccountId: "g2", grantedScopes: ["openid", DRIVE] });
    vi.mocked(listConnectedAccounts).mockResolvedValue([plain, withDrive]);

    expect(await getOrLinkConnectedAccount("google", { scopes: [DRIVE] })).toBe(withDrive);
    expect(
      await getOrLinkConnectedAccount("google", { scopes: ["https://www.googleapis.com/auth/userinfo.email"] }),
    ).toBe(plain);
    expect(listConnectedAccounts).toHaveBeenCalledWith("u1");
  });

  it("sends a user without the provider's account to link it, with the scopes", async () => {
    vi.mocked(listConnectedAccounts).mockResolvedValue([account({ provider: "github", providerAccountId: "7" })]);
    expect(await redirectedTo(getOrLinkConnectedAccount("google", { scopes: [DRIVE] }))).toBe(
      `/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(DRIVE)}`,
    );
  });

  it("asks for only the missing scopes of a linked account", async () => {
    vi.mocked(listConnectedAccounts).mockResolvedValue([account({ grantedScopes: ["openid", DRIVE] })]);
    expect(await redirectedTo(getOrLinkConnectedAccount("google", { scopes: [DRIVE, CALENDAR] }))).toBe(
      `/settings/connected-accounts?connect=google&scopes=${encodeURIComponent(CALENDAR)}`,
    );
  });

  it("sends a user whose account needs reconnecting to reconnect it", async () => {
    vi.mocked(listConnectedAccounts).mockResolvedValue([account({ status: "needs_reconnect" })]);
    expect(await redirectedTo(getOrLinkConnectedAccount("google"))).toBe("/settings/connected-accounts?connect=google");
  });

  it("asks who the user is first, coming back to returnTo", async () => {
    vi.mocked(requireUser).mockRejectedValue(new Error("redirected to sign in"));
    await expect(getOrLinkConnectedAccount("google", { returnTo: "/reports" })).rejects.toThrow(
      "redirected to sign in",
    );
    expect(requireUser).toHaveBeenCalledWith("/reports");
    expect(listConnectedAccounts).not.toHaveBeenCalled();
  });
});
