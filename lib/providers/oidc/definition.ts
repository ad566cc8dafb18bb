import { z } from "zod";
import { isHttpsOrLoopback } from "../../https-or-loopback";
import {
  stringField,
  textSetting,
  type ProviderDefinition,
  type ProviderOverrides,
  type ProviderSetting,
  type ProviderSettings,
} from "../types";

/** What names one generic OpenID Connect provider: its id, its default name, its variables' prefix. */
export type OidcProviderOptions<Id extends string, Name extends string> = {
  /** Names the callback URL (`/api/auth/callback/<id>`) and its stored accounts. */
  id: Id;
  /** Shown on the sign-in page unless `<prefix>_NAME` says otherwise. */
  label: string;
  /** `AUTH_OIDC` reads AUTH_OIDC_ISSUER, AUTH_OIDC_ID, AUTH_OIDC_SECRET, AUTH_OIDC_SCOPES, AUTH_OIDC_NAME. */
  envPrefix: `AUTH_${Name}`;
};

const SIGN_IN_SCOPES = ["openid", "email", "profile"];

/**
 * Any issuer that follows OpenID Connect (Okta, Auth0, Keycloak, GitLab…), described by variables
 * alone: its endpoints come from discovery at its issuer URL, so nothing here is shaped after a vendor.
 */
export function oidcDefinition<const Id extends string, const Name extends string>({
  id,
  label,
  envPrefix,
}: OidcProviderOptions<Id, Name>) {
  const variable = {
    issuer: `${envPrefix}_ISSUER`,
    scopes: `${envPrefix}_SCOPES`,
    name: `${envPrefix}_NAME`,
  } as const;
  return {
    id,
    label,
    icon: {
      color: "#64748B",
      // A person in a circle: an account at an issuer we know nothing else about.
      path: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zm0 14a8 8 0 0 1-6.2-2.95C7 15.4 9.6 14.5 12 14.5s5 .9 6.2 2.55A8 8 0 0 1 12 20z",
    },
    protocol: "oidc",
    defaultScopes: SIGN_IN_SCOPES,
    authorizationParams: {},
    // OpenID Connect's way to ask for consent again, which issuers answer with a new refresh token.
    newRefreshTokenParams: { prompt: "consent" },
    // OpenID Connect Core: the issuer signs the user in again and says when in `auth_time`.
    reauthenticationParams: { max_age: "0" },
    supportsIncrementalScopes: false,
    scopeLabels: signInScopeLabels(label),
    scopeAliases: {},
    credentialsEnv: { id: `${envPrefix}_ID`, secret: `${envPrefix}_SECRET`, client: "OpenID Connect client" },
    settingsEnv: {
      [variable.issuer]: {
        what: `the issuer URL (its discovery document is \`<issuer>/.well-known/openid-configuration\`); \`https:\` (plain \`http:\` only on loopback); set with \`${envPrefix}_ID\``,
        withCredentials: "needed",
        schema: textRefusing(issuerProblem),
      } satisfies ProviderSetting as ProviderSetting,
      [variable.scopes]: {
        what: `scopes asked at sign-in, space-separated, \`openid\` among them; unset = \`${SIGN_IN_SCOPES.join(" ")}\` (add \`offline_access\` where the issuer needs it for a refresh token)`,
        schema: textRefusing((value) => (scopeList(value).includes("openid") ? undefined : "must include openid")),
      } satisfies ProviderSetting as ProviderSetting,
      [variable.name]: {
        what: `the name on the sign-in button and the account list; unset = \`${label}\``,
        schema: z.string().optional(),
      } satisfies ProviderSetting as ProviderSetting,
    } as Record<(typeof variable)[keyof typeof variable], ProviderSetting>,
    fromSettings: (settings: ProviderSettings, issuer: string): ProviderOverrides => {
      const name = textSetting(settings, variable.name) ?? label;
      const scopesSet = textSetting(settings, variable.scopes);
      const scopes = scopesSet ? scopeList(scopesSet) : SIGN_IN_SCOPES;
      return {
        label: name,
        defaultScopes: scopes,
        scopeLabels: {
          ...signInScopeLabels(name),
          ...Object.fromEntries(
            scopes
              .filter((scope) => !SIGN_IN_SCOPES.includes(scope))
              .map((scope) => [scope, otherScopeLabel(name, scope)]),
          ),
        },
        manageAccessUrl: issuer,
      };
    },
    sandboxClient: { id: "sandbox-oidc", secret: "sandbox-oidc-secret" },
    endpoints: {
      discovery: {
        production: (settings: ProviderSettings) => textSetting(settings, variable.issuer)!,
        // The sandbox's generic issuer, reached through discovery like any other.
        sandbox: (sandboxUrl: string) => `${sandboxUrl}/oidc`,
      },
    },
    clientAuthentication: "client_secret_basic",
    accountProfile: (profile: Record<string, unknown>) => ({
      email: stringField(profile, "email"),
      displayName: stringField(profile, "name") ?? stringField(profile, "preferred_username"),
      avatarUrl: stringField(profile, "picture"),
    }),
    // Until the configuration names the issuer (fromSettings).
    manageAccessUrl: "",
  } as const satisfies ProviderDefinition;
}

function signInScopeLabels(name: string): Record<string, string> {
  return {
    openid: `Know who you are at ${name}`,
    email: "See your email address",
    profile: "See your name and profile picture",
  };
}

function otherScopeLabel(name: string, scope: string): string {
  return scope === "offline_access" ? `Stay connected to ${name} while you are away` : `Use "${scope}" at ${name}`;
}

/** Text, refused with `problem`'s words when it has one. */
function textRefusing(problem: (value: string) => string | undefined) {
  return z
    .string()
    .optional()
    .superRefine((value, context) => {
      const refusal = value === undefined ? undefined : problem(value);
      if (refusal) context.addIssue({ code: "custom", message: refusal });
    });
}

function scopeList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

function issuerProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (!isHttpsOrLoopback(value)) return "is an http: URL that is not on loopback; an issuer must use https:";
  if (url.search || url.hash) return "must not have a query or a fragment";
  return undefined;
}
