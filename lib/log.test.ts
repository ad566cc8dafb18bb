import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

async function loggerIn(nodeEnv: string) {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.resetModules();
  return (await import("./log")).log;
}

describe("log", () => {
  it("in production: one JSON line per record, an unexpected error kept with its cause chain", async () => {
    const log = await loggerIn("production");
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = new Error("Unsupported state or unable to authenticate data");
    log.error("token.refresh_failed", {
      provider: "google",
      accountId: "a1",
      code: "reconnect_required",
      cause: new Error("outer", { cause }),
    });

    expect(printed).toHaveBeenCalledTimes(1);
    const [line] = printed.mock.calls[0]!;
    expect(line).not.toContain("\n");
    expect(JSON.parse(line as string)).toMatchObject({
      level: "error",
      event: "token.refresh_failed",
      provider: "google",
      accountId: "a1",
      code: "reconnect_required",
      cause: {
        name: "Error",
        message: "outer",
        cause: { message: "Unsupported state or unable to authenticate data" },
      },
    });
  });

  it("elsewhere: one readable line, with values that need it quoted", async () => {
    const log = await loggerIn("development");
    const printed = vi.spyOn(console, "warn").mockImplementation(() => {});
    log.warn("google_api.failed", { provider: "google", userId: "u1", reason: "Google answered 500" });
    expect(printed).toHaveBeenCalledWith(
      'warn google_api.failed provider=google userId=u1 reason="Google answered 500"',
    );
  });
});
