import { inspect } from "node:util";
import { Auth, type AuthConfig } from "@auth/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startSandbox } from "../../../sandbox";
import { authorizeOidc, oidcLogin, sandboxControl } from "../../../sandbox/test-client";
import { freePort } from "../../../scripts/lib/free-port";
import { expireAccessToken, linkedUser } from "../../../scripts/lib/linked-account";
import { loggedLines } from "../../../test/vitest/capture-logs";
import { sandboxAndDatabaseForThisFile } from "../../../test/vitest/sandbox-and-database";
import { getAccessToken } from "../../connected-accounts";
import { getEnv } from "../../env";
import { awaitingDiscovery, configuredProviders, findProvider, getConfiguredProviders, providerRegistry } from "..";
import { DISCOVERY_RETRY_MS, discoverAll, discoveredEndpoints, discoverIssuer } from "../discovery";
import type { SharedAuthJsOptions } from "../types";

// The generic OpenID Connect provider against the sandbox's issuer (/oidc), which it knows only by
// its URL: discovery, its refusals, and RFC 9207's `iss` checked by Auth.js as this app sets it up.

const stack = sandboxAndDatabaseForThisFile();
const issuerOf = (sandboxUrl: string) => `${sandboxUrl}/oidc`;

afterEach(() => {
  vi.useRealTimers();
});

describe("discovery", () => {
  it("finds the endpoints, the revocation endpoint among them, at the issuer URL alone", async () => {
    const url = stack.sandbox().url;
    expect(await discoverIssuer(issuerOf(url))).toEqual({
      ok: true,
      endpoints: {
        issuer: issuerOf(url),
        authorization: `${url}/oidc/auth`,
        token: `${url}/oidc/token`,
        revocation: `${url}/oidc/token/revocation`,
        api: `${url}/oidc/me`,
      },
    });
    const configured = findProvider(getConfiguredProviders(), "oidc");
    expect(configured).toMatchObject({ sandbox: true, urls: { token: `${url}/oidc/token` } });
    expect(configured?.revocation.token).toBe("refresh_token");
  });

  it("says why an issuer did not answer", async () => {
    expect(await discoverIssuer(`http://127.0.0.1:${await freePort()}/oidc`)).toEqual({
      ok: false,
      problem: "did not answer (fetch failed: ECONNREFUSED)",
    });
  });

  it("refuses a discovery document that names another issuer", async () => {
    await stack.control().oidcDiscovery("issuer_mismatch");
    const discovery = await discoverIssuer(issuerOf(stack.sandbox().url));
    expect(discovery).toEqual({
      ok: false,
      problem: `its discovery document names another issuer (${stack.sandbox().url}/oidc-elsewhere): refused`,
    });
  });

  it("an issuer down at the start: one line, the provider left out, the others offered; offered again once it answers", async () => {
    // A sandbox of its own, so that this issuer has never been looked up.
    const other = await startSandbox();
    try {
      const issuer = issuerOf(other.url);
      const env = { ...getEnv(), SANDBOX_URL: other.url };
      const offered = () => configuredProviders(env).map((provider) => provider.id);
      const everyone = providerRegistry.map((provider) => provider.id);
      const others = everyone.filter((id) => id !== "oidc");
      await sandboxControl(other.url).oidcDiscovery("down");

      await discoverAll([{ provider: "oidc", issuer }]);
      const failed = loggedLines().filter((line) => line.includes("provider.discovery_failed"));
      expect(failed).toEqual([expect.stringContaining(`${issuer} answered 503 for its discovery document`)]);
      expect(offered()).toEqual(others);
      // Its accounts' tokens are unavailable for now, not unlinked.
      expect(awaitingDiscovery("oidc", env)).toBe(`${issuer} has not answered its discovery request yet`);
      expect(awaitingDiscovery("google", env)).toBeUndefined();

      // Back, but not looked up again before DISCOVERY_RETRY_MS: still left out, and no new line.
      await sandboxControl(other.url).oidcDiscovery("normal");
      expect(offered()).toEqual(others);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + DISCOVERY_RETRY_MS);
      expect(offered()).toEqual(others); // this use starts the lookup
      await vi.waitFor(() => expect(discoveredEndpoints(issuer)).toBeDefined());
      expect(offered()).toEqual(everyone);
      expect(awaitingDiscovery("oidc", env)).toBeUndefined();
      expect(loggedLines().filter((line) => line.includes("provider.discovery_failed"))).toHaveLength(1);
      expect(loggedLines()).toContainEqual(expect.stringContaining("provider.discovered"));
    } finally {
      await other.close();
    }
  });
});

describe("refresh", () => {
  it("refreshes each time it expires with an issuer that does not rotate its refresh tokens", async () => {
    await stack.control().oidcRefreshRotation(false);
    const tokens = await authorizeOidc(stack.sandbox().url, { email: "dana@issuer.example" });
    const { userId, providerAccountId } = await linkedUser(stack.db(), "oidc", tokens);
    for (const round of [1, 2]) {
      await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "oidc");
      const renewed = await getAccessToken(userId, { provider: "oidc" });
      expect(renewed.ok && renewed.accessToken !== tokens.access_token).toBe(true);
      expect((await stack.control().issuerStats()).oidc.refreshRequests).toBe(round);
    }
  });
});

describe("sign-in through Auth.js (RFC 9207)", () => {
  const base = "http://127.0.0.1:3999/api/auth";

  /** What Auth.js logged as errors, each with its causes. */
  let errors: string[] = [];

  function authConfig(): AuthConfig {
    errors = [];
    const provider = findProvider(getConfiguredProviders(), "oidc")!;
    const shared: SharedAuthJsOptions = {
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      authorization: { params: { scope: provider.defaultScopes.join(" ") } },
      checks: ["pkce", "state"],
      allowDangerousEmailAccountLinking: false,
      profile: async (raw) => {
        const claims = raw as Record<string, unknown>;
        return { id: String(claims.sub), name: null, image: null, email: null, accountProfile: {} };
      },
      account: (tokens) => ({ ...tokens }),
    };
    return {
      providers: [provider.authJsProvider(provider, shared)],
      secret: "s".repeat(40),
      trustHost: true,
      basePath: "/api/auth",
      session: { strategy: "jwt" },
      logger: { error: (error) => errors.push(inspect(error, { depth: 6 })), warn: () => {}, debug: () => {} },
    };
  }

  /** Starts a sign-in as a browser would: where Auth.js sends the browser, and its cookies. */
  async function startSignIn(config: AuthConfig): Promise<{ location: string; cookie: string }> {
    const cookies = new Map<string, string>();
    const keep = (response: Response) => {
      for (const header of response.headers.getSetCookie()) {
        const [pair = ""] = header.split(";");
        cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
      }
    };
    const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const csrf = await Auth(new Request(`${base}/csrf`), config);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const start = await Auth(
      new Request(`${base}/signin/oidc`, {
        method: "POST",
        headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken }),
      }),
      config,
    );
    keep(start);
    return { location: start.headers.get("location") ?? "", cookie: cookie() };
  }

  /** A sign-in started, and Dana signed in at the issuer: the redirect back, not followed yet. */
  async function redirectBack(config: AuthConfig): Promise<{ back: URL; cookie: string }> {
    const { location, cookie } = await startSignIn(config);
    expect(location.startsWith(`${issuerOf(stack.sandbox().url)}/auth?`)).toBe(true);
    return { back: await oidcLogin(location, "dana@issuer.example", `${base}/callback/oidc`), cookie };
  }

  async function callback(config: AuthConfig, back: URL, cookie: string): Promise<string> {
    const answer = await Auth(new Request(back.href, { headers: { cookie } }), config);
    return answer.headers.get("location") ?? "";
  }

  it("signs in when the authorization response's iss is the issuer", async () => {
    const config = authConfig();
    const { back, cookie } = await redirectBack(config);
    expect(back.searchParams.get("iss")).toBe(issuerOf(stack.sandbox().url));
    expect(await callback(config, back, cookie)).toBe("http://127.0.0.1:3999");
    expect(errors).toEqual([]);
  });

  it.each([
    [
      "another issuer's iss",
      (back: URL) => back.searchParams.set("iss", "https://elsewhere.example"),
      'unexpected "iss" (issuer) response parameter value',
    ],
    [
      "no iss (the issuer advertises RFC 9207)",
      (back: URL) => back.searchParams.delete("iss"),
      'response parameter "iss" (issuer) missing',
    ],
  ])("refuses %s", async (_name, change, why) => {
    const config = authConfig();
    const { back, cookie } = await redirectBack(config);
    change(back);
    expect(await callback(config, back, cookie)).toMatch(/[?&]error=/);
    expect(errors.join("\n")).toContain(why);
  });

  it("refuses to start a sign-in at an issuer whose discovery document names another issuer", async () => {
    const config = authConfig();
    await stack.control().oidcDiscovery("issuer_mismatch");
    expect((await startSignIn(config)).location).toMatch(/[?&]error=/);
    expect(errors.join("\n")).toContain('"response" body "issuer" property does not match the expected value');
  });
});
