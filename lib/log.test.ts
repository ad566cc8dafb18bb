import { afterEach, describe, expect, it, vi } from "vitest";
import type { LogLevel } from "./log";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

/** A fresh logger for `nodeEnv`, and what it writes. */
async function loggerIn(nodeEnv: string) {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.resetModules();
  const logModule = await import("./log");
  const written: { level: LogLevel; text: string }[] = [];
  logModule.sendLogsTo((level, text) => written.push({ level, text }));
  return { log: logModule.log, written };
}

describe("log", () => {
  it("in production: one JSON line per record, an unexpected error kept with its cause chain", async () => {
    const { log, written } = await loggerIn("production");
    const cause = new Error("Unsupported state or unable to authenticate data");
    log.error("token.refresh_failed", {
      provider: "google",
      accountId: "a1",
      code: "reconnect_required",
      cause: new Error("outer", { cause }),
    });

    expect(written).toHaveLength(1);
    const [{ level, text }] = written as [(typeof written)[number]];
    expect(level).toBe("error");
    expect(text).not.toContain("\n");
    expect(JSON.parse(text)).toMatchObject({
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
    const { log, written } = await loggerIn("development");
    log.warn("google_api.failed", { provider: "google", userId: "u1", reason: "Google answered 500" });
    expect(written).toEqual([
      { level: "warn", text: 'warn google_api.failed provider=google userId=u1 reason="Google answered 500"' },
    ]);
  });

  it("writes to the process's streams, never through console (React replays a server render's console in the browser)", async () => {
    vi.stubEnv("NODE_ENV", "development");
    vi.resetModules();
    const { log } = await import("./log");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const consoleCalls = (["log", "info", "warn", "error"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    log.warn("token.refresh_failed", { code: "provider_unavailable", cause: new Error("boom") });
    log.info("sweep.done");
    expect(stderr).toHaveBeenCalledWith(
      expect.stringMatching(/^warn token\.refresh_failed code=provider_unavailable\nError: boom\n/),
    );
    expect(stdout).toHaveBeenCalledWith("info sweep.done\n");
    for (const call of consoleCalls) expect(call).not.toHaveBeenCalled();
  });
});
