import type { Provider as AuthJsProvider } from "next-auth/providers";
import type { AuthorizationServer } from "oauth4webapi";
import type { z } from "zod";

export type AccountProfile = { email?: string; displayName?: string; avatarUrl?: string };

/** Where a provider's OAuth and API endpoints live, for the real service or the sandbox. */
export type ProviderEndpoints = {
  /** OIDC issuer (discovery) or, for plain OAuth 2, the authorization server's base. */
  issuer: string;
  authorization: string;
  token: string;
  /** The revocation endpoint, when the provider has one. */
  revocation?: string;
  /** Base URL of the provider's REST API. */
  api: string;
};

/**
 * A provider described as data (its `definition.ts`): nothing here reads the environment or calls
 * anyone, so lib/env.ts can read the credentials' names from the registry.
 */
export type ProviderDefinition = {
  /** Lowercase letters, digits and dashes: it names the folder, the callback URL and stored accounts. */
  id: string;
  label: string;
  /** A single-path SVG icon on a 24×24 grid, so the registry stays free of React. */
  icon: { path: string; color: string };
  protocol: "oidc" | "oauth2";
  /** An OIDC provider whose ID tokens carry no `auth_time` (Entra, unless configured): see provesSignIn. */
  noAuthTime?: true;
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
   * Scopes the provider grants but never names in a token answer (Entra's `offline_access`): asked
   * for, never counted as refused or missing.
   */
  unechoedScopes?: readonly string[];
  /** Can a later authorization add scopes to the grant without repeating the old ones? */
  supportsIncrementalScopes: boolean;
  /**
   * The variables holding the real OAuth client's credentials (lib/env.ts declares every pair in
   * the registry), and what kind of client they are, for the docs' table ("OAuth client").
   */
  credentialsEnv: { id: `AUTH_${string}_ID`; secret: `AUTH_${string}_SECRET`; client: string };
  /**
   * Variables beyond the credentials that configure the provider (Entra's tenant, the generic
   * issuer's URL), keyed by name: lib/env.ts parses each with its schema, refuses a bad value and
   * documents it, without knowing the provider. The configured provider gets the parsed values in
   * `settings`.
   */
  settingsEnv?: Readonly<Record<`AUTH_${string}`, ProviderSetting>>;
  /** What the settings change once the provider is configured at `issuer` (its name, its scopes). */
  fromSettings?: (settings: ProviderSettings, issuer: string) => ProviderOverrides;
  /** Client the sandbox registers for this provider. */
  sandboxClient: { id: string; secret: string };
  /**
   * Where its endpoints are: written here (functions of its `settings` when those choose, as
   * Entra's tenant does), or found by OpenID Connect discovery at its issuer when the server starts
   * (lib/providers/discovery.ts), the real issuer's URL read from the settings.
   */
  endpoints:
    | {
        production: ProviderEndpoints | ((settings: ProviderSettings) => ProviderEndpoints);
        sandbox: (sandboxUrl: string, settings: ProviderSettings) => ProviderEndpoints;
      }
    | { discovery: { production: (settings: ProviderSettings) => string; sandbox: (sandboxUrl: string) => string } };
  /**
   * How the client authenticates at the token and revocation endpoints: `client_secret_post`
   * unless set (`client_secret_basic` is OpenID Connect's default, which most issuers expect).
   */
  clientAuthentication?: "client_secret_post" | "client_secret_basic";
  /**
   * Days after which the provider ends a refresh token nobody used (Google: 180). It says only
   * "expired or revoked" then; our record of the last change lets us tell the user why.
   */
  unusedGrantDays?: number;
  /**
   * The provider's refresh-grant errors that end the grant, typed; `undefined` for any other. The
   * token core asks this first, then falls back on RFC 6749's `invalid_grant` and `unauthorized_client`.
   * `answer` is the whole error body, for a provider that says more than `error` (Entra's `error_codes`).
   */
  grantEnd?: (error: string, errorSubtype?: string, answer?: Readonly<Record<string, unknown>>) => GrantEnd | undefined;
  /** Picks what identifies the account on screen out of the provider's raw profile. */
  accountProfile: (profile: Record<string, unknown>) => AccountProfile;
  /** Where users manage or revoke this app's access at the provider. */
  manageAccessUrl: string;
  /** The same in words, when one address does not say it (Microsoft: one for work accounts, one for personal ones). */
  manageAccessWhere?: string;
  /**
   * For connecting only (a GitHub App used for repository access, Slack): never a way to sign in,
   * so it never creates a user, never joins one by email, and never confirms who the user is. The
   * sign-in page leaves it out; a signed-in user links it from Connected accounts.
   */
  connectOnly?: boolean;
};

/** One of a provider's own environment variables (its `settingsEnv`). */
export type ProviderSetting = {
  /**
   * Parses the variable as set (undefined when unset or blank) to the value the provider uses, or
   * refuses it: the refusal's message follows the variable's name in the startup error.
   */
  schema: z.ZodType<unknown, string | undefined>;
  /** `needed`: set it with the real credentials, or the server refuses to start (the generic issuer's URL). */
  withCredentials?: "needed";
  /** Its line in docs/development.md's table. */
  what: string;
  /** How to fix a refused value, after the problem in the startup error. */
  fix?: string;
};

/** A provider's settings, parsed, keyed by variable name (unset ones undefined or their default). */
export type ProviderSettings = Readonly<Record<string, unknown>>;

/** A setting that holds text, or undefined. */
export function textSetting(settings: ProviderSettings, name: string): string | undefined {
  const value = settings[name];
  return typeof value === "string" ? value : undefined;
}

/** What settings may change in a configured provider. */
export type ProviderOverrides = Partial<
  Pick<ProviderDefinition, "label" | "defaultScopes" | "scopeLabels" | "manageAccessUrl">
>;

/**
 * Does a new sign-in at this provider prove the user signed in again (OIDC's `auth_time`)? Not for
 * plain OAuth 2, nor for an OIDC provider whose ID tokens leave `auth_time` out (`noAuthTime`):
 * there the completed authorization is all the proof there is, as for OAuth 2.
 */
export function provesSignIn(provider: Pick<ProviderDefinition, "protocol" | "noAuthTime">): boolean {
  return provider.protocol === "oidc" && provider.noAuthTime !== true;
}

/** Can an account of this provider sign its user in? */
export function signsIn(provider: Pick<ProviderDefinition, "connectOnly">): boolean {
  return provider.connectOnly !== true;
}

/**
 * Why a provider says a refresh token will never work again, as precisely as it says:
 * - `expired_or_revoked`: the plain case (revoked by the user, unused too long, over the provider's
 *   count of live tokens, a "Testing" app's 7 days, rotated away). A new consent helps.
 * - `reauth_required`: the user must sign in at the provider again (an organisation's session
 *   control); a new consent helps.
 * - `admin_policy_enforced`: an administrator blocks this app (or these scopes) for the account:
 *   reconnecting fails too until the administrator allows it.
 * - `client_unauthorized`: `unauthorized_client`, the OAuth client may not use this grant.
 * - `unused`: the provider says itself that the grant went unused too long (Entra's AADSTS700082).
 * - `mfa_required`: the user must sign in at the provider again with a second factor (Entra's
 *   AADSTS50076 / 50079); a new consent helps.
 * - `consent_required`: the user must grant the app's access again (Entra's AADSTS65001): the
 *   token core answers `missing_scopes`, so the page offers Grant access.
 */
export type GrantEndReason =
  | "expired_or_revoked"
  | "reauth_required"
  | "admin_policy_enforced"
  | "client_unauthorized"
  | "unused"
  | "mfa_required"
  | "consent_required";

/** What the provider said when it refused a refresh token for good (for wording, logs and events; never a token). */
export type GrantEnd = { reason: GrantEndReason; error: string; errorSubtype?: string };

/**
 * How a provider's grant is revoked when the user disconnects it:
 * - `refresh_token`: revoking the refresh token (or, without one, the access token) ends the grant;
 * - `live_access_token`: only a valid access token revokes it (an expired one is refreshed first);
 * - `none`: the provider has no revocation endpoint; the user removes the app at `manageAccessUrl`.
 * `revoke` sends the request and returns the provider's answer.
 */
export type Revocation =
  | {
      token: "refresh_token" | "live_access_token";
      revoke: (provider: ConfiguredProvider, token: string, signal: AbortSignal) => Promise<Response>;
    }
  | { token: "none" };

/** What every provider's Auth.js provider gets from lib/auth/config.ts. */
export type SharedAuthJsOptions = {
  clientId: string;
  clientSecret: string;
  authorization: { params: Record<string, string> };
  checks: ("pkce" | "state")[];
  allowDangerousEmailAccountLinking: boolean;
  /** Hands Auth.js the account's id, name, picture and verified email (only a verified one). */
  profile: (
    raw: object,
    tokens: { access_token?: string },
  ) => Promise<{
    id: string;
    name: string | null;
    image: string | null;
    email: string | null;
    accountProfile: AccountProfile;
  }>;
  account: (tokens: object) => object;
};

/** A provider's definition and its own behaviour (its folder's `index.ts`). */
export type Provider = ProviderDefinition & {
  /** Its Auth.js provider, configured here: a built-in one, or a plain OAuth 2 / OIDC configuration. */
  authJsProvider: (provider: ConfiguredProvider, shared: SharedAuthJsOptions) => AuthJsProvider;
  revocation: Revocation;
  /**
   * The token endpoint as the refresh sees it (oauth4webapi's metadata), for a provider whose ID
   * tokens need more than `urls.issuer` to be checked (Entra names each user's own tenant).
   * Without it: `urls.issuer` and `urls.token`.
   */
  authorizationServer?: (provider: ConfiguredProvider) => AuthorizationServer;
  /**
   * The email address the provider vouches for at sign-in, lowercased, or undefined. Only such an
   * address becomes a user's email and joins an existing user. Without it, the provider never joins
   * a user by email.
   */
  verifiedEmail?: (
    provider: ConfiguredProvider,
    profile: Record<string, unknown>,
    accessToken: string | undefined,
  ) => Promise<string | undefined>;
  /**
   * Whether the provider's configuration admits this account (Entra: its tenant in the allow-list),
   * from the raw profile (OIDC: the ID token's claims). Asked of every sign-in, link and re-consent;
   * one it does not admit is refused (`account_not_admitted`) before anything is stored.
   */
  admitsAccount?: (provider: ConfiguredProvider, profile: Record<string, unknown>) => boolean;
  /**
   * Whether a 403's body says the token lacks a scope, for a provider that says so in its own words
   * rather than (or as well as) RFC 6750's `WWW-Authenticate: Bearer error="insufficient_scope"`.
   */
  scopeRefusedInBody?: (body: string) => boolean;
};

/** How a provider is set up here: real credentials when set, otherwise the local sandbox. */
export type ProviderConfiguration = {
  clientId: string;
  clientSecret: string;
  sandbox: boolean;
  urls: ProviderEndpoints;
  /** Its `settingsEnv` as parsed by lib/env.ts ({} when it has none). */
  settings: ProviderSettings;
};

/** A provider ready to use (lib/providers/index.ts narrows its id to the registry's). */
export type ConfiguredProvider = Provider & ProviderConfiguration;

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

/** Does `granted` include `scope`, under any of its names (or is it one the provider never names)? */
export function grantIncludes(
  provider: Pick<ProviderDefinition, "scopeAliases" | "unechoedScopes">,
  granted: readonly string[],
  scope: string,
): boolean {
  const wanted = canonicalScope(provider, scope);
  if (provider.unechoedScopes?.includes(wanted)) return true;
  return granted.some((name) => canonicalScope(provider, name) === wanted);
}

/**
 * Part of signing in (asked of everyone), as opposed to access to the user's data. A provider for
 * connecting only has no sign-in part: what it grants is all access.
 */
export function isSignInScope(
  provider: Pick<ProviderDefinition, "scopeAliases" | "defaultScopes" | "connectOnly">,
  scope: string,
): boolean {
  return signsIn(provider) && provider.defaultScopes.includes(canonicalScope(provider, scope));
}

export function stringField(profile: Record<string, unknown>, key: string): string | undefined {
  const value = profile[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
