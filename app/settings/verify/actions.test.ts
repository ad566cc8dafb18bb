import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, expect, it, vi } from "vitest";
import { beginAccountFlow } from "@/lib/auth";
import { requireUser } from "@/lib/auth/require-user";
import { getDb } from "@/lib/db";
import { redirectedTo } from "@/test/vitest/redirected-to";
import { confirmIdentityAction } from "./actions";

vi.mock("@/lib/auth/require-user", () => ({ requireUser: vi.fn() }));
// The action needs only these of lib/auth (whose Auth.js configuration vitest cannot load).
vi.mock("@/lib/auth", async () => ({
  beginAccountFlow: vi.fn(),
  ...(await import("@/lib/auth/pending-change")),
}));

const db = getDb();
afterAll(() => db.$disconnect());

const PAGE = "/settings/connected-accounts";
// Defaults from lib/env.ts: 10 account changes per user per minute.
const ACCOUNT_CHANGES_PER_MINUTE = 10;

beforeEach(async () => {
  const [{ seconds }] = await db.$queryRaw<[{ seconds: number }]>`SELECT extract(second FROM now())::float AS seconds`;
  if (seconds > 50) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
});

it("confirmIdentityAction counts against the account_change limit", async () => {
  vi.mocked(requireUser).mockResolvedValue({ id: randomUUID(), name: null, email: null, image: null, sessionId: "s" });
  const confirm = () => {
    const form = new FormData();
    form.set("continue", "not-a-signed-change");
    form.set("provider", "github");
    return redirectedTo(confirmIdentityAction(form));
  };
  for (let i = 0; i < ACCOUNT_CHANGES_PER_MINUTE; i += 1) expect(await confirm()).toBe(`${PAGE}?error=invalid_request`);
  expect(await confirm()).toBe(`${PAGE}?error=rate_limited`);
  expect(beginAccountFlow).not.toHaveBeenCalled();
});
