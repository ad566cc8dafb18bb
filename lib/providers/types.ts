export type ProviderId = "google" | "github";

export type CredentialsEnvName = "AUTH_GOOGLE_ID" | "AUTH_GOOGLE_SECRET" | "AUTH_GITHUB_ID" | "AUTH_GITHUB_SECRET";

export type AccountProfile = { email?: string; displayName?: string; avatarUrl?: string };

/** Where a provider's OAuth and API endpoints live, for the real service or the sandbox. */
export type ProviderEndpoints = {
  /** OIDC issuer (discovery) or, for plain OAuth 2, the authorization server's base. */
  issuer: string;
  authorization: string;
  token: string;
  revocation: string;
  /** Base URL of the provider's REST API. */
  api: string;
};

/** A provider described as data; `lib/auth` and `lib/connected-accounts` are built from these. */
export type ProviderDefinition = {
  id: ProviderId;
  label: string;
  /** A single-path SVG icon on a 24×24 grid, so the registry stays free of React. */
  icon: { path: string; color: string };
  protocol: "oidc" | "oauth2";
  /** Scopes asked at sign-in and first link. */
  defaultScopes: readonly string[];
  /** Extra authorization parameters sent on every authorization request. */
  authorizationParams: Readonly<Record<string, string>>;
  /** Extra parameters that make the provider issue a new refresh token (Google: prompt=consent). */
  newRefreshTokenParams: Readonly<Record<string, string>>;
  /**
   * Extra parameters that make the user sign in at the provider again, to confirm who they are
   * before linking or unlinking (Google: max_age=0, which also makes it report `auth_time`).
   */
  reauthenticationParams: Readonly<Record<string, string>>;
  /**
   * Every scope this app may ask for, in words a user understands ("See your Google Drive
   * files"). A link or Grant access for a scope not listed here is refused.
   */
  scopeLabels: Readonly<Record<string, string>>;
  /**
   * Other names the provider reports for a scope, mapped to the name this app asks for (Google
   * answers `…/auth/userinfo.email` for `email`): the two are one scope.
   */
  scopeAliases: Readonly<Record<string, string>>;
  /**
   * May a new sign-in whose verified email matches an existing user join that user?
   * "verified-email": the provider's email claim is verified (Google); "verified-primary-email":
   * only the primary email flagged verified by the provider's API (GitHub); "never".
   */
  emailLinking: "verified-email" | "verified-primary-email" | "never";
  /** Can a later authorization add scopes to the grant without repeating the old ones? */
  supportsIncrementalScopes: boolean;
  /** Env variables holding the real OAuth client's credentials (declared in lib/env.ts). */
  credentialsEnv: { id: CredentialsEnvName; secret: CredentialsEnvName };
  /** Client the sandbox registers for this provider. */
  sandboxClient: { id: string; secret: string };
  endpoints: { production: ProviderEndpoints; sandbox: (sandboxUrl: string) => ProviderEndpoints };
  /**
   * How to revoke a grant: RFC 7009 POST of the token (Google), or GitHub's
   * DELETE /applications/{client_id}/grant with the client's basic auth.
   */
  revocationStyle: "rfc7009" | "github-grant";
  /** Picks what identifies the account on screen out of the provider's raw profile. */
  accountProfile: (profile: Record<string, unknown>) => AccountProfile;
  /** Where users manage or revoke this app's access at the provider. */
  manageAccessUrl: string;
};

/** The words for `scope`, if this app declares it (an own key: "constructor" is no scope). */
export function scopeLabel(
  provider: Pick<ProviderDefinition, "scopeLabels" | "scopeAliases">,
  scope: string,
): string | undefined {
  const name = canonicalScope(provider, scope);
  return Object.hasOwn(provider.scopeLabels, name) ? provider.scopeLabels[name] : undefined;
}

/** The name this app uses for `scope` (its own name, or the one an alias stands for). */
export function canonicalScope(provider: Pick<ProviderDefinition, "scopeAliases">, scope: string): string {
  return Object.hasOwn(provider.scopeAliases, scope) ? provider.scopeAliases[scope]! : scope;
}

/**
 * `scopes` under the names this app uses, each once: what we store, so a grant reads the same
 * whether the provider said `email` or `…/auth/userinfo.email`.
 */
export function canonicalScopes(
  provider: Pick<ProviderDefinition, "scopeAliases">,
  scopes: readonly string[],
): string[] {
  return [...new Set(scopes.map((scope) => canonicalScope(provider, scope)))];
}

/** Does `granted` include `scope`, under any of its names? */
export function grantIncludes(
  provider: Pick<ProviderDefinition, "scopeAliases">,
  granted: readonly string[],
  scope: string,
): boolean {
  const wanted = canonicalScope(provider, scope);
  return granted.some((name) => canonicalScope(provider, name) === wanted);
}

/** Part of signing in (asked of everyone), as opposed to access to the user's data. */
export function isSignInScope(
  provider: Pick<ProviderDefinition, "scopeAliases" | "defaultScopes">,
  scope: string,
): boolean {
  return provider.defaultScopes.includes(canonicalScope(provider, scope));
}

export function stringField(profile: Record<string, unknown>, key: string): string | undefined {
  const value = profile[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
