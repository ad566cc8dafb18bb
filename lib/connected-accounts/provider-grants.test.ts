// The refresh grant against the sandbox: each way a provider ends a refresh token comes back as
// invalid_grant with a typed reason (and the provider's error and subtype), transient failures
// as provider_unavailable.
import { describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle } from "../../sandbox/test-client";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { findProvider, getConfiguredProviders } from "../providers";
import { githubDefinition as github } from "../providers/github/definition";
import { googleDefinition as google } from "../providers/google/definition";
import { grantEnd, refreshGrant, revokeGrant } from "./provider-grants";

const stack = sandboxAndDatabaseForThisFile();
const provider = (id: "google" | "github") => findProvider(getConfiguredProviders(), id)!;
const DRIVE = "https://www.googleapis.com/auth/drive.readonly";

async function googleRefreshToken(email: string, scope?: string): Promise<string> {
  return (await authorizeGoogle(stack.sandbox().url, { email, scope })).refresh_token!;
}

describe("grantEnd", () => {
  it("types each provider error that ends a grant, and nothing else", () => {
    expect(grantEnd(google, "invalid_grant")).toEqual({ reason: "expired_or_revoked", error: "invalid_grant" });
    expect(grantEnd(google, "invalid_grant", "invalid_rapt")).toEqual({
      reason: "reauth_required",
      error: "invalid_grant",
      errorSubtype: "invalid_rapt",
    });
    expect(grantEnd(google, "invalid_grant", "something_new")).toMatchObject({ reason: "expired_or_revoked" });
    expect(grantEnd(google, "admin_policy_enforced")).toEqual({
      reason: "admin_policy_enforced",
      error: "admin_policy_enforced",
    });
    expect(grantEnd(github, "bad_refresh_token")).toMatchObject({ reason: "expired_or_revoked" });
    for (const definition of [google, github]) {
      expect(grantEnd(definition, "unauthorized_client")).toMatchObject({ reason: "client_unauthorized" });
      for (const transient of ["temporarily_unavailable", "invalid_request", "server_error"]) {
        expect(grantEnd(definition, transient)).toBeUndefined();
      }
    }
  });

  it("a provider's own errors stay its own: GitHub's word means nothing from Google, nor Google's from GitHub", () => {
    expect(grantEnd(google, "bad_refresh_token")).toBeUndefined();
    expect(grantEnd(github, "admin_policy_enforced")).toBeUndefined();
    expect(grantEnd(github, "invalid_grant", "invalid_rapt")).toMatchObject({ reason: "expired_or_revoked" });
  });
});

describe("refreshGrant", () => {
  it("Google revoked: invalid_grant, expired_or_revoked", async () => {
    const token = await googleRefreshToken("pg-revoked@example.com");
    await stack.control().refreshMode("google", "invalid_grant");
    const result = await refreshGrant(provider("google"), token);
    expect(result).toEqual({
      ok: false,
      error: {
        code: "invalid_grant",
        detail: "invalid_grant",
        grantEnd: { reason: "expired_or_revoked", error: "invalid_grant" },
      },
    });
  });

  it("Google Workspace session control: invalid_grant with the invalid_rapt subtype, reauth_required", async () => {
    const token = await googleRefreshToken("pg-rapt@example.com");
    await stack.control().refreshMode("google", "invalid_rapt");
    expect(await refreshGrant(provider("google"), token)).toEqual({
      ok: false,
      error: {
        code: "invalid_grant",
        detail: "invalid_grant (invalid_rapt)",
        grantEnd: { reason: "reauth_required", error: "invalid_grant", errorSubtype: "invalid_rapt" },
      },
    });
  });

  it("Google admin policy: invalid_grant, admin_policy_enforced", async () => {
    const token = await googleRefreshToken("pg-admin@example.com");
    await stack.control().refreshMode("google", "admin_policy_enforced");
    const result = await refreshGrant(provider("google"), token);
    expect(result.ok === false && result.error).toMatchObject({
      code: "invalid_grant",
      grantEnd: { reason: "admin_policy_enforced", error: "admin_policy_enforced" },
    });
  });

  it('Google "Testing" app after 7 days, and the oldest token beyond the limit: expired_or_revoked', async () => {
    await stack.control().publishingStatus("testing");
    const testing = await googleRefreshToken("pg-testing@example.com", `openid email ${DRIVE}`);
    await stack.control().advanceClock(8 * 24 * 3600);
    const expired = await refreshGrant(provider("google"), testing);
    expect(expired.ok === false && expired.error.grantEnd?.reason).toBe("expired_or_revoked");

    await stack.control().refreshTokenLimit(1);
    const oldest = await googleRefreshToken("pg-limit@example.com");
    await googleRefreshToken("pg-limit@example.com");
    const dropped = await refreshGrant(provider("google"), oldest);
    expect(dropped.ok === false && dropped.error.grantEnd?.reason).toBe("expired_or_revoked");
  });

  it("GitHub's bad_refresh_token (HTTP 200): expired_or_revoked", async () => {
    const tokens = await authorizeGithub(stack.sandbox().url, { email: "pg-github@example.com" });
    await stack.control().refreshMode("github", "invalid_grant");
    const result = await refreshGrant(provider("github"), tokens.refresh_token!);
    expect(result.ok === false && result.error).toMatchObject({
      code: "invalid_grant",
      grantEnd: { reason: "expired_or_revoked", error: "bad_refresh_token" },
    });
  });

  it("a provider outage is provider_unavailable, without grantEnd; success carries Google's names for the scopes (stored under the app's)", async () => {
    const token = await googleRefreshToken("pg-outage@example.com");
    await stack.control().refreshMode("google", "error_500");
    const failed = await refreshGrant(provider("google"), token);
    expect(failed.ok === false && failed.error.code).toBe("provider_unavailable");
    expect(failed.ok === false && failed.error.grantEnd).toBeUndefined();
    await stack.control().refreshMode("google", "normal");
    const refreshed = await refreshGrant(provider("google"), token);
    // Google says …/auth/userinfo.email; the app gets its own name for it.
    expect(refreshed.ok && refreshed.tokens.scope?.split(" ").sort()).toEqual([
      "https://www.googleapis.com/auth/userinfo.email",
      "https://www.googleapis.com/auth/userinfo.profile",
      "openid",
    ]);
  });
});

describe("revokeGrant", () => {
  it("a provider with no revocation endpoint: revocation_failed, saying so, and nothing is sent", async () => {
    const noEndpoint = { ...provider("google"), revocation: { token: "none" } as const };
    expect(await revokeGrant(noEndpoint, "some-token")).toEqual({
      ok: false,
      error: { code: "revocation_failed", detail: "the provider has no revocation endpoint" },
    });
  });
});
