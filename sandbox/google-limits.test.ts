import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CLIENTS, startSandbox, type Sandbox } from ".";
import {
  authorizeGithub,
  authorizeGoogle,
  control as rawControl,
  googleApi,
  refreshGoogle,
  sandboxControl,
} from "./test-client";

// Google's behaviour beyond the basics: granular consent, its names for scopes, the limits that
// end a refresh token, and a sandbox that keeps its grants across restarts.

const G = "https://www.googleapis.com/auth/";
const DRIVE = `${G}drive.readonly`;
const CALENDAR = `${G}calendar.readonly`;
const GMAIL = `${G}gmail.labels`;
const USERINFO_EMAIL = `${G}userinfo.email`;
const USERINFO_PROFILE = `${G}userinfo.profile`;
const DAY = 24 * 3600;
const INVALID_GRANT = { error: "invalid_grant", error_description: "Token has been expired or revoked." };

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(() => sandbox.close());
const control = () => sandboxControl(sandbox.url);

const scopesOf = (answer: { scope?: unknown }) => String(answer.scope).split(" ").sort();

/** The consent page for `scope`, as a browser first sees it. */
async function consentPage(scope: string): Promise<string> {
  const params = new URLSearchParams({
    client_id: SANDBOX_CLIENTS.google.id,
    redirect_uri: "http://127.0.0.1:3999/cb",
    response_type: "code",
    scope,
  });
  const start = await fetch(`${sandbox.url}/google/auth?${params}`, { redirect: "manual" });
  const cookie = start.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  return (await fetch(new URL(start.headers.get("location")!, sandbox.url), { headers: { cookie } })).text();
}

describe("Google granular consent", () => {
  it("offers a ticked checkbox per scope beyond the sign-in basics, in words with the raw name", async () => {
    const html = await consentPage(`openid email profile ${DRIVE} ${CALENDAR}`);
    for (const scope of [DRIVE, CALENDAR]) {
      expect(html).toContain(`<input type="checkbox" name="grant" value="${scope}" checked`);
    }
    for (const scope of ["openid", "email", "profile"]) expect(html).not.toContain(`value="${scope}"`);
    expect(html).toContain("See your Google Calendar events");
    // The raw name, secondary, with break opportunities after its slashes and dots.
    expect(html).toContain(`<code class="raw">${CALENDAR.replace(/([/.])/g, "$1<wbr>")}</code>`);
  });

  it("grants only the ticked scopes; the APIs and later refreshes agree", async () => {
    const tokens = await authorizeGoogle(sandbox.url, {
      email: "granular@example.com",
      scope: `openid email profile ${DRIVE} ${CALENDAR}`,
      deny: [CALENDAR],
    });
    expect(scopesOf(tokens)).toEqual(["openid", USERINFO_EMAIL, USERINFO_PROFILE, DRIVE].sort());
    expect((await googleApi(sandbox.url, "/drive/v3/files", tokens.access_token)).status).toBe(200);
    expect((await googleApi(sandbox.url, "/calendar/v3/calendars/primary/events", tokens.access_token)).status).toBe(
      403,
    );
    const refreshed = (await (await refreshGoogle(sandbox.url, tokens.refresh_token!)).json()) as { scope?: string };
    expect(scopesOf(refreshed)).toEqual(scopesOf(tokens));
  });

  it("unticking everything leaves the sign-in basics; with include_granted_scopes the old grant stays", async () => {
    const email = "untick-all@example.com";
    const basics = await authorizeGoogle(sandbox.url, { email, scope: `openid email ${DRIVE}`, deny: [DRIVE] });
    expect(scopesOf(basics)).toEqual(["openid", USERINFO_EMAIL].sort());
    await authorizeGoogle(sandbox.url, { email, scope: `openid email ${GMAIL}`, includeGrantedScopes: true });
    const more = await authorizeGoogle(sandbox.url, {
      email,
      scope: `openid email ${CALENDAR}`,
      includeGrantedScopes: true,
      deny: [CALENDAR],
    });
    expect(scopesOf(more)).toEqual(["openid", USERINFO_EMAIL, GMAIL].sort());
  });
});

describe("Google scope names", () => {
  it("reports email and profile as …/auth/userinfo.email and …/auth/userinfo.profile, whichever was asked", async () => {
    const short = await authorizeGoogle(sandbox.url, { email: "names@example.com", scope: "openid email profile" });
    expect(short.scope).toBe(`openid ${USERINFO_EMAIL} ${USERINFO_PROFILE}`);
    const long = await authorizeGoogle(sandbox.url, {
      email: "names@example.com",
      scope: `openid ${USERINFO_EMAIL} ${USERINFO_PROFILE}`,
    });
    expect(long.scope).toBe(`openid ${USERINFO_EMAIL} ${USERINFO_PROFILE}`);
    for (const tokens of [short, long]) {
      expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", tokens.access_token)).status).toBe(200);
    }
  });
});

describe("refresh refusals of Google's own", () => {
  it("invalid_rapt: invalid_grant with error_subtype; admin_policy_enforced: its own error", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "workspace@example.com" });
    await control().refreshMode("google", "invalid_rapt");
    const rapt = await refreshGoogle(sandbox.url, tokens.refresh_token!);
    expect(rapt.status).toBe(400);
    expect(await rapt.json()).toEqual({
      error: "invalid_grant",
      error_subtype: "invalid_rapt",
      error_description: "reauth related error (invalid_rapt)",
    });
    await control().refreshMode("google", "admin_policy_enforced");
    const blocked = await refreshGoogle(sandbox.url, tokens.refresh_token!);
    expect(blocked.status).toBe(400);
    expect(await blocked.json()).toMatchObject({
      error: "admin_policy_enforced",
      error_description: expect.any(String),
    });
    await control().refreshMode("google", "normal");
    expect((await refreshGoogle(sandbox.url, tokens.refresh_token!)).status).toBe(200);
  });

  it("are Google's only: GitHub refuses those modes", async () => {
    for (const mode of ["invalid_rapt", "admin_policy_enforced"]) {
      expect(await rawControl(sandbox.url, "refresh-mode", { provider: "github", mode })).toHaveProperty("error");
    }
  });
});

describe("limits that end a Google refresh token", () => {
  it('"Testing" status: a token beyond the basics dies 7 days after issue; basics-only and earlier ones live', async () => {
    const before = await authorizeGoogle(sandbox.url, { email: "testing@example.com", scope: `openid email ${DRIVE}` });
    await control().publishingStatus("testing");
    const data = await authorizeGoogle(sandbox.url, { email: "testing@example.com", scope: `openid email ${DRIVE}` });
    const basics = await authorizeGoogle(sandbox.url, { email: "testing-basics@example.com", scope: "openid email" });

    await control().advanceClock(7 * DAY - 60);
    expect((await refreshGoogle(sandbox.url, data.refresh_token!)).status).toBe(200);
    await control().advanceClock(120);
    const dead = await refreshGoogle(sandbox.url, data.refresh_token!);
    expect(dead.status).toBe(400);
    expect(await dead.json()).toEqual(INVALID_GRANT);
    expect((await refreshGoogle(sandbox.url, data.refresh_token!)).status).toBe(400); // and stays dead
    expect((await refreshGoogle(sandbox.url, basics.refresh_token!)).status).toBe(200);
    expect((await refreshGoogle(sandbox.url, before.refresh_token!)).status).toBe(200);
  });

  it("a refresh token unused for 6 months dies; each use restarts the count", async () => {
    const used = await authorizeGoogle(sandbox.url, { email: "idle@example.com" });
    const idle = await authorizeGoogle(sandbox.url, { email: "idle-2@example.com" });
    await control().advanceClock(150 * DAY);
    expect((await refreshGoogle(sandbox.url, used.refresh_token!)).status).toBe(200);
    await control().advanceClock(40 * DAY);
    expect(await (await refreshGoogle(sandbox.url, idle.refresh_token!)).json()).toEqual(INVALID_GRANT);
    expect((await refreshGoogle(sandbox.url, used.refresh_token!)).status).toBe(200);
  });

  it("access tokens expire on the sandbox's clock too", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "clock@example.com" });
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", tokens.access_token)).status).toBe(200);
    await control().advanceClock(3600);
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", tokens.access_token)).status).toBe(401);
  });

  it("beyond the live refresh tokens allowed per account and client, the oldest is dropped silently", async () => {
    expect(await control().refreshTokenLimit(3)).toEqual({ refreshTokenLimit: 3 });
    const email = "many-devices@example.com";
    const issued = [];
    for (let i = 0; i < 4; i += 1) issued.push(await authorizeGoogle(sandbox.url, { email }));
    const other = await authorizeGoogle(sandbox.url, { email: "someone-else@example.com" });
    expect(await (await refreshGoogle(sandbox.url, issued[0]!.refresh_token!)).json()).toEqual(INVALID_GRANT);
    for (const tokens of [...issued.slice(1), other])
      expect((await refreshGoogle(sandbox.url, tokens.refresh_token!)).status).toBe(200);
    // The dropped token's access token keeps working until it expires, as at Google.
    expect((await googleApi(sandbox.url, "/oauth2/v3/userinfo", issued[0]!.access_token)).status).toBe(200);
  });

  it("control: refuses bad values; reset puts back the clock, the status and the limit", async () => {
    for (const [action, body] of [
      ["clock", {}],
      ["clock", { advanceSeconds: "soon" }],
      ["clock", { advanceSeconds: 1, offsetSeconds: 1 }],
      ["publishing-status", { status: "draft" }],
      ["refresh-token-limit", { limit: 0 }],
    ] as const) {
      expect(await rawControl(sandbox.url, action, body), `${action} ${JSON.stringify(body)}`).toHaveProperty("error");
    }
    expect(await control().advanceClock(DAY)).toEqual({ clockOffsetSeconds: DAY });
    expect(await control().advanceClock(DAY)).toEqual({ clockOffsetSeconds: 2 * DAY });
    expect(await rawControl(sandbox.url, "clock", { offsetSeconds: 0 })).toEqual({ clockOffsetSeconds: 0 });
    await control().publishingStatus("testing");
    await control().refreshTokenLimit(1);
    await control().advanceClock(30 * DAY);
    await control().reset();
    const email = "after-reset@example.com";
    const first = await authorizeGoogle(sandbox.url, { email, scope: `openid email ${DRIVE}` });
    await authorizeGoogle(sandbox.url, { email, scope: `openid email ${DRIVE}` });
    expect((await googleApi(sandbox.url, "/drive/v3/files", first.access_token)).status).toBe(200);
    await control().advanceClock(8 * DAY);
    expect((await refreshGoogle(sandbox.url, first.refresh_token!)).status).toBe(200);
  });
});

describe("a sandbox with a state file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sandbox-state-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("keeps grants across a restart: access tokens still open the APIs, refresh tokens still refresh", async () => {
    const statePath = join(dir, "sandbox", "state.json");
    const first = await startSandbox({ statePath });
    const google = await authorizeGoogle(first.url, { email: "kept@example.com", scope: `openid email ${DRIVE}` });
    const github = await authorizeGithub(first.url, { email: "kept@example.com" });
    await first.close();
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);

    const second = await startSandbox({ statePath });
    try {
      expect((await googleApi(second.url, "/drive/v3/files", google.access_token)).status).toBe(200);
      const refreshed = await refreshGoogle(second.url, google.refresh_token!);
      expect(refreshed.status).toBe(200);
      expect(scopesOf((await refreshed.json()) as { scope?: string })).toEqual(scopesOf(google));
      const githubUser = await fetch(`${second.url}/github/api/v3/user`, {
        headers: { authorization: `Bearer ${github.access_token}` },
      });
      expect(githubUser.status).toBe(200);
      // A revocation made after the restart is kept too.
      await sandboxControl(second.url).revoke({ provider: "google" });
    } finally {
      await second.close();
    }
    const third = await startSandbox({ statePath });
    try {
      expect(await (await refreshGoogle(third.url, google.refresh_token!)).json()).toEqual(INVALID_GRANT);
    } finally {
      await third.close();
    }
  });

  it("saves shortly after a change, not only on close (a killed process keeps its grants)", async () => {
    const statePath = join(dir, "state.json");
    const running = await startSandbox({ statePath });
    try {
      const tokens = await authorizeGoogle(running.url, { email: "debounced@example.com" });
      await expect
        .poll(async () => readFile(statePath, "utf8").catch(() => ""), { timeout: 3000 })
        .toContain(tokens.refresh_token!);
    } finally {
      await running.close();
    }
  });

  it("moves an unreadable state file aside and starts empty, saying so", async () => {
    const statePath = join(dir, "state.json");
    await writeFile(statePath, "{ not json");
    const lines: string[] = [];
    const fresh = await startSandbox({ statePath, log: (line) => lines.push(line) });
    await fresh.close();
    expect(lines.join("\n")).toMatch(/unreadable/);
    expect(await readFile(`${statePath}.unreadable`, "utf8")).toBe("{ not json");
  });

  it("without a state path, a new sandbox knows nothing of the last one's grants", async () => {
    const tokens = await authorizeGoogle(sandbox.url, { email: "forgotten@example.com" });
    const other = await startSandbox();
    try {
      expect(await (await refreshGoogle(other.url, tokens.refresh_token!)).json()).toEqual(INVALID_GRANT);
    } finally {
      await other.close();
    }
  });
});
