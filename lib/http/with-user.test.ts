import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { requireUser, signedInUser } from "../auth/require-user";
import { takeRateLimit } from "../rate-limit";
import { withUser } from "./with-user";
import { jsonResponse } from "./responses";

vi.mock("../auth/require-user", () => ({ requireUser: vi.fn(), signedInUser: vi.fn() }));
vi.mock("../rate-limit", () => ({ takeRateLimit: vi.fn() }));

const user = { id: "u1", name: null, email: null, image: null, sessionId: "s1" };
const route = withUser(
  { query: z.object({ n: z.coerce.number().int().optional() }), rateLimit: "token" },
  async (_request, { user, query }) => jsonResponse({ user: user.id, n: query.n }),
);
const get = (query = "") => route(new NextRequest(`http://app.test/api/x${query}`), {});

beforeEach(() => {
  vi.mocked(signedInUser).mockReset().mockResolvedValue(user);
  vi.mocked(requireUser).mockReset().mockResolvedValue(user);
  vi.mocked(takeRateLimit).mockReset().mockResolvedValue({ ok: true, remaining: 1 });
});

describe("withUser: every refusal in the one error body", () => {
  it("runs the handler with the user and the parsed query", async () => {
    const response = await get("?n=3");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: "u1", n: 3 });
  });

  it("401 unauthenticated for a signed-out visitor", async () => {
    vi.mocked(signedInUser).mockResolvedValue(undefined);
    const response = await get();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "Sign in to continue." } });
    expect(takeRateLimit).not.toHaveBeenCalled();
  });

  it("429 rate_limited with Retry-After", async () => {
    vi.mocked(takeRateLimit).mockResolvedValue({
      ok: false,
      error: { code: "rate_limited", detail: "test", retryAfterSeconds: 12 },
    });
    const response = await get();
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("12");
    expect(await response.json()).toMatchObject({ error: { code: "rate_limited", retryAfterSeconds: 12 } });
  });

  it("400 invalid_request for a query the schema does not parse", async () => {
    const response = await get("?n=x");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "invalid_request", message: "The request was not understood." },
    });
  });

  it("a route the browser navigates to sends a signed-out visitor to sign in (requireUser)", async () => {
    const page = withUser({ query: z.object({}), signInReturnTo: "/settings" }, async () => jsonResponse({}));
    await page(new NextRequest("http://app.test/settings/x"), {});
    expect(requireUser).toHaveBeenCalledWith("/settings");
    expect(signedInUser).not.toHaveBeenCalled();
  });
});
