import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { requireUser } from "@/lib/auth/require-user";
import { signAccountChange } from "@/lib/auth/pending-change";
import { getDb } from "@/lib/db";
import { redirectedTo } from "@/test/vitest/redirected-to";
import { startAuthorization } from "../account-changes";
import { GET } from "./route";

vi.mock("@/lib/auth/require-user", () => ({ requireUser: vi.fn() }));
// The route needs only these of lib/auth (whose Auth.js configuration vitest cannot load).
vi.mock("@/lib/auth", async () => ({
  isRecentlyReverified: (await import("@/lib/auth/recent-sign-in")).isRecentlyReverified,
  ...(await import("@/lib/auth/pending-change")),
}));
vi.mock("../account-changes", () => ({
  startAuthorization: vi.fn(async () => new Response(null, { status: 303, headers: { location: "/provider" } })),
  disconnect: vi.fn(),
}));

const db = getDb();
afterAll(() => db.$disconnect());

const PAGE = "/settings/connected-accounts";
// Defaults from lib/env.ts: 10 account changes per user per minute.
const ACCOUNT_CHANGES_PER_MINUTE = 10;

/** A signed-in user whose session was verified just now. */
async function verifiedUser() {
  const user = await db.user.create({ data: {} });
  const session = await db.session.create({
    data: { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 86_400_000) },
  });
  const signedIn = { id: user.id, name: null, email: null, image: null, sessionId: session.id };
  vi.mocked(requireUser).mockResolvedValue(signedIn);
  return signedIn;
}

const cont = (token: string) =>
  redirectedTo(GET(new NextRequest(`http://localhost${PAGE}/continue?change=${encodeURIComponent(token)}`), {}));

beforeEach(async () => {
  vi.mocked(startAuthorization).mockClear();
  // Rate-limit windows are minutes of the database's clock: keep a test from straddling one.
  const [{ seconds }] = await db.$queryRaw<[{ seconds: number }]>`SELECT extract(second FROM now())::float AS seconds`;
  if (seconds > 50) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
});

describe("GET /settings/connected-accounts/continue", () => {
  it("carries out a change once: used again, or twice at once, it starts one link only", async () => {
    const user = await verifiedUser();
    const token = signAccountChange(user, { kind: "link", provider: "github", scopes: [] });
    const outcomes = await Promise.all([cont(token), cont(token)]);
    expect(startAuthorization).toHaveBeenCalledTimes(1);
    expect(outcomes).toContain(`${PAGE}?error=invalid_request`);
    expect(await cont(token)).toBe(`${PAGE}?error=invalid_request`);
    expect(startAuthorization).toHaveBeenCalledTimes(1);
  });

  it("counts against the account_change limit", async () => {
    const user = await verifiedUser();
    for (let i = 0; i < ACCOUNT_CHANGES_PER_MINUTE; i += 1) {
      const token = signAccountChange(user, { kind: "link", provider: "github", scopes: [] });
      expect(await cont(token)).toBeInstanceOf(Response);
    }
    const token = signAccountChange(user, { kind: "link", provider: "github", scopes: [] });
    expect(await cont(token)).toBe(`${PAGE}?error=rate_limited`);
    expect(startAuthorization).toHaveBeenCalledTimes(ACCOUNT_CHANGES_PER_MINUTE);
  });
});
