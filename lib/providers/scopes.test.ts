// Google reports `email` and `profile` as …/auth/userinfo.email and …/auth/userinfo.profile in
// token responses (the sandbox does too): the app must treat the two names as one scope everywhere.
import { describe, expect, it } from "vitest";
import { github } from "./github";
import { githubApp } from "./github-app";
import { google } from "./google";
import { canonicalScope, grantIncludes, isSignInScope, scopeLabel } from "./types";

const G = "https://www.googleapis.com/auth/";

describe("scope names and their aliases", () => {
  it("canonicalScope maps Google's long names to the names the app asks for, and leaves the rest", () => {
    expect(canonicalScope(google, `${G}userinfo.email`)).toBe("email");
    expect(canonicalScope(google, `${G}userinfo.profile`)).toBe("profile");
    for (const scope of ["email", "openid", `${G}drive.readonly`, "constructor", "toString"]) {
      expect(canonicalScope(google, scope)).toBe(scope);
    }
  });

  it("grantIncludes finds a scope under either name, both ways", () => {
    const reportedByGoogle = ["openid", `${G}userinfo.email`, `${G}userinfo.profile`, `${G}drive.readonly`];
    for (const scope of ["openid", "email", "profile", `${G}userinfo.email`, `${G}drive.readonly`]) {
      expect(grantIncludes(google, reportedByGoogle, scope), scope).toBe(true);
    }
    expect(grantIncludes(google, ["openid", "email"], `${G}userinfo.email`)).toBe(true);
    expect(grantIncludes(google, reportedByGoogle, `${G}calendar.readonly`)).toBe(false);
    expect(grantIncludes(google, ["openid", "email"], "profile")).toBe(false);
  });

  it("scopeLabel and isSignInScope give the long names the words and the group of the short ones", () => {
    expect(scopeLabel(google, `${G}userinfo.email`)).toBe(scopeLabel(google, "email"));
    expect(scopeLabel(google, `${G}userinfo.profile`)).toBe(scopeLabel(google, "profile"));
    expect(isSignInScope(google, `${G}userinfo.email`)).toBe(true);
    expect(isSignInScope(google, `${G}userinfo.profile`)).toBe(true);
    expect(isSignInScope(google, `${G}drive.readonly`)).toBe(false);
    expect(scopeLabel(google, "constructor")).toBeUndefined();
  });

  it("a provider for connecting only has no sign-in scopes, and a GitHub App's unnamed scope is always granted", () => {
    expect(isSignInScope(githubApp, "repo")).toBe(false);
    expect(grantIncludes(githubApp, [], "repo")).toBe(true);
  });

  it("GitHub has no aliases: names are compared as they are", () => {
    expect(canonicalScope(github, "user:email")).toBe("user:email");
    expect(grantIncludes(github, ["read:user", "user:email"], "user:email")).toBe(true);
    expect(grantIncludes(github, ["read:user"], "email")).toBe(false);
  });
});
