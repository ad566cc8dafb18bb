import { describe, expect, it } from "vitest";
import { github } from "../providers/github";
import { google } from "../providers/google";
import { grantedScopesAfter, parseScopes, tokenColumns, unionScopes } from "./token-response";

describe("tokenColumns", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const nowSeconds = now.getTime() / 1000;

  it("computes expiry from expires_in and keeps GitHub App refresh expiry as a timestamp", () => {
    const columns = tokenColumns(
      {
        access_token: "a",
        refresh_token: "r",
        expires_in: 28800,
        refresh_token_expires_in: 15897600,
        token_type: "bearer",
      },
      now,
    );
    expect(columns.expires_at).toBe(nowSeconds + 28800);
    expect(columns.refresh_token_expires_at).toBe(nowSeconds + 15897600);
    expect(columns).not.toHaveProperty("refresh_token_expires_in", expect.anything());
  });

  it("leaves the refresh token undefined when the provider sent none, so an update keeps it", () => {
    const columns = tokenColumns({ access_token: "a", expires_at: nowSeconds + 10, refresh_token: null }, now);
    expect(columns.refresh_token).toBeUndefined();
    expect(columns.expires_at).toBe(nowSeconds + 10);
  });

  it("a new access token without expires_in has no known expiry (null), not the old token's", () => {
    expect(tokenColumns({ access_token: "a", token_type: "bearer" }, now).expires_at).toBeNull();
    expect(tokenColumns({ refresh_token: "r" }, now).expires_at).toBeUndefined(); // no new access token: keep what is stored
  });

  it("drops fields Prisma does not know", () => {
    const columns = tokenColumns({ access_token: "a", ...({ unknown_field: 1 } as object) }, now);
    expect(Object.keys(columns)).not.toContain("unknown_field");
  });
});

describe("scopes", () => {
  it("parses space- and comma-separated scope strings", () => {
    expect(parseScopes("openid email,profile  read:user")).toEqual(["openid", "email", "profile", "read:user"]);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it("unions without duplicates", () => {
    expect(unionScopes(["b", "a"], ["a", "c"])).toEqual(["a", "b", "c"]);
  });
});

describe("grantedScopesAfter", () => {
  const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
  const CALENDAR = "https://www.googleapis.com/auth/calendar.readonly";

  it("Google consent adds to the grant (include_granted_scopes), under this app's names for email and profile", () => {
    const answer = { scope: `openid https://www.googleapis.com/auth/userinfo.email ${CALENDAR}` };
    expect(grantedScopesAfter(google, ["openid", "email", DRIVE], answer, "consent")).toEqual([
      "email",
      CALENDAR,
      DRIVE,
      "openid",
    ]);
  });

  it("a refresh answer is the truth: a scope it lacks is no longer granted", () => {
    const answer = { scope: "openid https://www.googleapis.com/auth/userinfo.profile" };
    expect(grantedScopesAfter(google, ["openid", "profile", DRIVE], answer, "refresh")).toEqual(["openid", "profile"]);
  });

  it("a provider without incremental authorization: a new consent's answer replaces the grant", () => {
    expect(grantedScopesAfter(github, ["read:user", "repo"], { scope: "read:user,user:email" }, "consent")).toEqual([
      "read:user",
      "user:email",
    ]);
  });

  it("an answer without a scope (omitted, or GitHub App's empty one) changes nothing", () => {
    expect(grantedScopesAfter(github, ["read:user"], { scope: "" }, "refresh")).toEqual(["read:user"]);
    expect(grantedScopesAfter(google, ["openid", DRIVE], {}, "refresh")).toEqual([DRIVE, "openid"]);
  });
});
