import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { takeRateLimit } from "../rate-limit";
import { requireUser } from "../auth/require-user";
import { formAction, userAction } from "./user-action";

vi.mock("../auth/require-user", () => ({ requireUser: vi.fn() }));
vi.mock("../rate-limit", () => ({ takeRateLimit: vi.fn() }));

const user = { id: "u1", name: null, email: null, image: null, sessionId: "s1" };
const schema = z.object({ accountId: z.string().regex(/^[a-z0-9]+$/) });

function form(fields: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

beforeEach(() => {
  vi.mocked(requireUser).mockReset().mockResolvedValue(user);
  vi.mocked(takeRateLimit).mockReset().mockResolvedValue({ ok: true, remaining: 9 });
});

describe("userAction", () => {
  const run = vi.fn(async (input: { accountId: string }) => `ran ${input.accountId}`);
  const action = userAction(
    { page: "/settings", schema, rateLimit: "account_change", refuse: (code) => `refused ${code}` },
    run,
  );

  it("runs with the parsed fields and the user, after taking the user's rate limit", async () => {
    expect(await action(form([["accountId", "abc"]]))).toBe("ran abc");
    expect(run).toHaveBeenCalledWith({ accountId: "abc" }, user);
    expect(requireUser).toHaveBeenCalledWith("/settings");
    expect(takeRateLimit).toHaveBeenCalledWith("u1", "account_change");
  });

  it("takes the form data as the second argument under useActionState", async () => {
    expect(await action({ status: "idle" }, form([["accountId", "xyz"]]))).toBe("ran xyz");
  });

  it("refuses a field the schema does not parse, a file in place of text, and reads a repeated field's first value", async () => {
    expect(await action(form([["accountId", "a b"]]))).toBe("refused invalid_request");
    expect(await action(form([["accountId", new Blob(["abc"])]]))).toBe("refused invalid_request");
    expect(await action(form([]))).toBe("refused invalid_request");
    expect(
      await action(
        form([
          ["accountId", "first"],
          ["accountId", "x y"],
        ]),
      ),
    ).toBe("ran first");
  });

  it("refuses past the rate limit before reading any field", async () => {
    vi.mocked(takeRateLimit).mockResolvedValue({
      ok: false,
      error: { code: "rate_limited", detail: "test", retryAfterSeconds: 30 },
    });
    run.mockClear();
    expect(await action(form([["accountId", "abc"]]))).toBe("refused rate_limited");
    expect(run).not.toHaveBeenCalled();
  });

  it("a signed-out visitor goes to sign in (requireUser's redirect) before anything else", async () => {
    vi.mocked(requireUser).mockRejectedValue(new Error("NEXT_REDIRECT"));
    await expect(action(form([["accountId", "abc"]]))).rejects.toThrow("NEXT_REDIRECT");
    expect(takeRateLimit).not.toHaveBeenCalled();
  });
});

describe("formAction", () => {
  it("validates without a user or a rate limit", async () => {
    const action = formAction({ schema, refuse: (code) => code }, async ({ accountId }) => accountId);
    expect(await action(form([["accountId", "abc"]]))).toBe("abc");
    expect(await action(form([["accountId", ""]]))).toBe("invalid_request");
    expect(requireUser).not.toHaveBeenCalled();
    expect(takeRateLimit).not.toHaveBeenCalled();
  });
});
