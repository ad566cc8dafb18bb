import { describe, expect, it } from "vitest";
import { generateKeyEntry } from "./token-keyring";
import { parseEnv, startupWarnings } from "./env";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/app",
  AUTH_SECRET: "x".repeat(40),
  SANDBOX_URL: "http://127.0.0.1:4000",
  TOKEN_ENCRYPTION_KEY: generateKeyEntry("k1"),
};

describe("parseEnv", () => {
  it("accepts a loopback sandbox", () => {
    expect(parseEnv(base).SANDBOX_URL).toBe("http://127.0.0.1:4000");
    expect(parseEnv({ ...base, SANDBOX_URL: "http://localhost:4000" }).SANDBOX_URL).toBe("http://localhost:4000");
  });

  it("refuses an http issuer that is not on loopback, naming the variable", () => {
    for (const url of ["http://10.0.0.5:4000", "http://sandbox.example.com", "http://127.0.0.1.example.com"]) {
      expect(() => parseEnv({ ...base, SANDBOX_URL: url })).toThrow(
        /SANDBOX_URL is an http: URL that is not on loopback/,
      );
    }
  });

  it("accepts https anywhere", () => {
    expect(parseEnv({ ...base, SANDBOX_URL: "https://idp.example.com" }).SANDBOX_URL).toBe("https://idp.example.com");
  });

  it("says in one line what is missing and how to fix it", () => {
    let message = "";
    try {
      parseEnv({ SANDBOX_URL: base.SANDBOX_URL });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain("\n");
    expect(message).toMatch(/DATABASE_URL is missing — .*npm run dev/);
    expect(message).toMatch(/AUTH_SECRET is missing/);
  });

  it("in production, points to the server's environment rather than .env.local and npm run dev", () => {
    const production = {
      ...base,
      NODE_ENV: "production",
      AUTH_URL: "https://app.example.com",
      DATABASE_URL: undefined,
    };
    let message = "";
    try {
      parseEnv(production);
    } catch (error) {
      message = (error as Error).message;
    }
    const databaseLine = message.split("; ").find((line) => line.includes("DATABASE_URL"));
    expect(databaseLine).toMatch(
      /DATABASE_URL is missing — set it in the server's environment to your PostgreSQL's postgres:\/\/ URL/,
    );
    expect(databaseLine).not.toMatch(/\.env\.local|npm run dev/);
  });

  it("checks DATABASE_URL and the pool parameters it carries", () => {
    expect(() => parseEnv({ ...base, DATABASE_URL: "mysql://u:p@127.0.0.1/app" })).toThrow(
      /DATABASE_URL must start with postgres:\/\//,
    );
    expect(() => parseEnv({ ...base, DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => parseEnv({ ...base, DATABASE_URL: `${base.DATABASE_URL}?connection_limit=0` })).toThrow(
      /DATABASE_URL parameter connection_limit must be a whole number of at least 1 \(got "0"\)/,
    );
    expect(() => parseEnv({ ...base, DATABASE_URL: `${base.DATABASE_URL}?connect_timeout=soon` })).toThrow(
      /connect_timeout/,
    );
  });

  it("wants both halves of a credential pair", () => {
    expect(() => parseEnv({ ...base, AUTH_GOOGLE_ID: "id" })).toThrow(/AUTH_GOOGLE_SECRET is missing/);
  });

  it("needs at least one provider", () => {
    // One sentence, not "AUTH_GOOGLE_ID no sign-in provider…".
    expect(() => parseEnv({ ...base, SANDBOX_URL: "" })).toThrow(
      /^Invalid environment: no sign-in provider is configured: set AUTH_GOOGLE_ID\/AUTH_GOOGLE_SECRET or AUTH_GITHUB_ID\/AUTH_GITHUB_SECRET or AUTH_MICROSOFT_ENTRA_ID_ID\/AUTH_MICROSOFT_ENTRA_ID_SECRET or AUTH_OIDC_ISSUER\/AUTH_OIDC_ID\/AUTH_OIDC_SECRET, or use `npm run dev`, which starts the sandbox\. See \.env\.example\.$/,
    );
  });

  it("does not count a provider for connecting only as a sign-in provider", () => {
    expect(() =>
      parseEnv({ ...base, SANDBOX_URL: "", AUTH_GITHUB_APP_ID: "Iv1.app", AUTH_GITHUB_APP_SECRET: "app-secret" }),
    ).toThrow(/no sign-in provider is configured/);
  });

  it("validates the token encryption keyring", () => {
    expect(() => parseEnv({ ...base, TOKEN_ENCRYPTION_KEY: "k1:short" })).toThrow(
      /TOKEN_ENCRYPTION_KEY is invalid: .*32 bytes/,
    );
    expect(() => parseEnv({ ...base, TOKEN_ENCRYPTION_KEY: undefined })).toThrow(/TOKEN_ENCRYPTION_KEY is missing/);
  });

  it("refuses the sandbox in production unless the named opt-in is set, and then warns on every start", () => {
    const production = { ...base, NODE_ENV: "production", AUTH_URL: "https://accounts.example.com" };
    for (const url of ["http://127.0.0.1:4000", "https://sandbox.example.com"]) {
      expect(() => parseEnv({ ...production, SANDBOX_URL: url })).toThrow(/SANDBOX_URL is set in production/);
    }
    expect(() => parseEnv({ ...production, UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: "1" })).toThrow(/must be "true"/);
    const optedIn = parseEnv({ ...production, UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: "true" });
    expect(optedIn.SANDBOX_URL).toBe(base.SANDBOX_URL);
    expect(startupWarnings(optedIn)).toEqual([
      expect.stringMatching(/^WARNING: UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION .*anyone can sign in as anyone/),
    ]);
    expect(startupWarnings(parseEnv(base))).toEqual([]);
  });

  it("needs AUTH_URL in production unless the host is trusted another way", () => {
    const production = {
      ...base,
      SANDBOX_URL: undefined,
      AUTH_GOOGLE_ID: "id",
      AUTH_GOOGLE_SECRET: "secret",
      NODE_ENV: "production",
    };
    expect(() => parseEnv(production)).toThrow(/AUTH_URL is missing .* e\.g\. https:\/\//);
    expect(parseEnv({ ...production, AUTH_URL: "https://accounts.example.com" }).AUTH_URL).toBe(
      "https://accounts.example.com",
    );
    expect(() => parseEnv({ ...production, VERCEL: "1" })).not.toThrow();
    expect(() => parseEnv({ ...production, AUTH_TRUST_HOST: "true" })).not.toThrow();
    expect(() => parseEnv(base)).not.toThrow(); // development: Auth.js trusts the host itself
  });

  it("checks the sweep's settings and the cron secret", () => {
    expect(parseEnv(base)).toMatchObject({ SWEEP_MARGIN_MINUTES: 10, SWEEP_INTERVAL_SECONDS: 60 });
    expect(parseEnv(base).CRON_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, CRON_SECRET: "s".repeat(16), SWEEP_MARGIN_MINUTES: "15" })).toMatchObject({
      CRON_SECRET: "s".repeat(16),
      SWEEP_MARGIN_MINUTES: 15,
    });
    expect(() => parseEnv({ ...base, CRON_SECRET: "short" })).toThrow(
      /CRON_SECRET must be at least 16 characters — generate one with `openssl rand -base64 33`/,
    );
    for (const value of ["0", "-5", "ten", "1441"]) {
      expect(() => parseEnv({ ...base, SWEEP_MARGIN_MINUTES: value }), value).toThrow(/SWEEP_MARGIN_MINUTES/);
    }
    expect(() => parseEnv({ ...base, SWEEP_INTERVAL_SECONDS: "0" })).toThrow(/SWEEP_INTERVAL_SECONDS/);
  });

  it("checks the webhook settings: an https URL (http only on loopback), a whsec_ secret, both or neither, known event types", () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const hooks = { ...base, WEBHOOK_URL: "https://hooks.example.com/in", WEBHOOK_SECRET: secret };
    expect(parseEnv(hooks)).toMatchObject({ WEBHOOK_URL: "https://hooks.example.com/in", WEBHOOK_SECRET: secret });
    expect(parseEnv({ ...hooks, WEBHOOK_URL: "http://127.0.0.1:8080/in" }).WEBHOOK_URL).toBe(
      "http://127.0.0.1:8080/in",
    );
    expect(parseEnv({ ...hooks, WEBHOOK_URL: "http://localhost:8080/in" }).WEBHOOK_URL).toBe(
      "http://localhost:8080/in",
    );
    expect(parseEnv(base).WEBHOOK_URL).toBeUndefined(); // unset: no webhooks
    expect(parseEnv({ ...base, WEBHOOK_URL: "", WEBHOOK_SECRET: " " }).WEBHOOK_SECRET).toBeUndefined();

    const refusal = (env: Record<string, string | undefined>) => {
      try {
        parseEnv(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refusal({ ...hooks, WEBHOOK_URL: "not a url" })).toMatch(/WEBHOOK_URL is not a URL/);
    for (const url of [
      "http://hooks.example.com/in",
      "http://10.0.0.5/in",
      "http://127.0.0.1.example.com/in",
      "ftp://127.0.0.1/in",
    ]) {
      const message = refusal({ ...hooks, WEBHOOK_URL: url });
      expect(message, url).toMatch(
        /WEBHOOK_URL must be an https: URL \(plain http: only on 127\.0\.0\.1 or localhost\)/,
      );
      expect(message).not.toContain("\n"); // one line
    }
    expect(refusal({ ...hooks, WEBHOOK_SECRET: undefined })).toMatch(
      /WEBHOOK_SECRET is missing \(set both WEBHOOK_URL and WEBHOOK_SECRET\) — generate one with `npm run webhooks:secret`/,
    );
    expect(refusal({ ...hooks, WEBHOOK_URL: "" })).toMatch(/WEBHOOK_URL is missing \(set both/);
    for (const bad of ["s3cret-without-prefix", "whsec_short", `whsec_${"!".repeat(40)}`]) {
      expect(refusal({ ...hooks, WEBHOOK_SECRET: bad }), bad).toMatch(/WEBHOOK_SECRET must be "whsec_"/);
    }
  });

  it("reads WEBHOOK_EVENTS as a list of names (lib/connected-accounts/events.ts checks them)", () => {
    expect(parseEnv(base).WEBHOOK_EVENTS).toBeUndefined();
    expect(
      parseEnv({ ...base, WEBHOOK_EVENTS: " connected_account.refreshed, connected_account.revoked ," }).WEBHOOK_EVENTS,
    ).toEqual(["connected_account.refreshed", "connected_account.revoked"]);
  });

  it("takes a GitHub webhook secret of 16 characters or more, or none", () => {
    expect(parseEnv(base).GITHUB_WEBHOOK_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, GITHUB_WEBHOOK_SECRET: " " }).GITHUB_WEBHOOK_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, GITHUB_WEBHOOK_SECRET: "h".repeat(16) }).GITHUB_WEBHOOK_SECRET).toBe("h".repeat(16));
    expect(() => parseEnv({ ...base, GITHUB_WEBHOOK_SECRET: "short" })).toThrow(
      /GITHUB_WEBHOOK_SECRET must be at least 16 characters — generate one with `openssl rand -hex 32`/,
    );
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ ...base, AUTH_GITHUB_ID: "", AUTH_GITHUB_SECRET: "" }).AUTH_GITHUB_ID).toBeUndefined();
  });
});

describe("a provider's settings (the generic OpenID Connect issuer)", () => {
  const oidc = { AUTH_OIDC_ID: "client", AUTH_OIDC_SECRET: "secret" };

  it("takes an https issuer, or http on loopback (a local Keycloak)", () => {
    expect(parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "https://id.example.com/realms/app" }).AUTH_OIDC_ISSUER).toBe(
      "https://id.example.com/realms/app",
    );
    expect(parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "http://localhost:8080/realms/app" }).AUTH_OIDC_ISSUER).toBe(
      "http://localhost:8080/realms/app",
    );
  });

  it("refuses an http issuer off loopback, in one line that names the variable", () => {
    let message = "";
    try {
      parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "http://id.example.com" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain("\n");
    expect(message).toMatch(
      /^Invalid environment: AUTH_OIDC_ISSUER is an http: URL that is not on loopback; an issuer must use https:/,
    );
  });

  it("refuses an issuer that is not a URL, or has a query", () => {
    expect(() => parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "id.example.com" })).toThrow(
      /AUTH_OIDC_ISSUER is not a URL/,
    );
    expect(() => parseEnv({ ...base, ...oidc, AUTH_OIDC_ISSUER: "https://id.example.com/?tenant=a" })).toThrow(
      /AUTH_OIDC_ISSUER must not have a query or a fragment/,
    );
  });

  it("wants the issuer with the credentials, and the credentials with the issuer", () => {
    expect(() => parseEnv({ ...base, ...oidc })).toThrow(/AUTH_OIDC_ISSUER is missing \(set it with AUTH_OIDC_ID\)/);
    expect(() => parseEnv({ ...base, AUTH_OIDC_ISSUER: "https://id.example.com" })).toThrow(
      /AUTH_OIDC_ID is missing \(set it with AUTH_OIDC_ISSUER\)/,
    );
  });

  it("wants openid among the scopes", () => {
    const issuer = { ...oidc, AUTH_OIDC_ISSUER: "https://id.example.com" };
    expect(() => parseEnv({ ...base, ...issuer, AUTH_OIDC_SCOPES: "email profile" })).toThrow(
      /AUTH_OIDC_SCOPES must include openid/,
    );
    expect(parseEnv({ ...base, ...issuer, AUTH_OIDC_SCOPES: "openid email offline_access" }).AUTH_OIDC_SCOPES).toBe(
      "openid email offline_access",
    );
  });
});
