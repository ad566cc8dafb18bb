import { z } from "zod";
import {
  stringField,
  type GrantEnd,
  type ProviderDefinition,
  type ProviderEndpoints,
  type ProviderSettings,
} from "../types";

/** Every personal Microsoft account (Outlook.com, Xbox…) is in this tenant. */
export const PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_TENANT = ["common", "organizations", "consumers"];

/** Which accounts the app's Entra endpoints admit: any, work and school only, personal only, or one tenant's. */
const tenant = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (value) => MULTI_TENANT.includes(value) || TENANT_ID.test(value),
    "must be common, organizations, consumers or a tenant id (a GUID)",
  )
  .default("common");

/** Tenants whose accounts may sign in or link, comma-separated; unset = every tenant the endpoint admits. */
const allowedTenants = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0 && list.every((entry) => TENANT_ID.test(entry)), "must list tenant ids (GUIDs)")
  .optional();

const TENANT_VARIABLE = "AUTH_MICROSOFT_ENTRA_ID_TENANT";
const ALLOWED_TENANTS_VARIABLE = "AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS";

export type EntraSettings = { tenant: string; allowedTenants?: string[] };

/** The settings as lib/env.ts parsed them, typed; unset ones take their defaults. */
export function entraSettings(settings: ProviderSettings): EntraSettings {
  const tenantValue = settings[TENANT_VARIABLE];
  const allowed = settings[ALLOWED_TENANTS_VARIABLE];
  return {
    tenant: typeof tenantValue === "string" ? tenantValue : "common",
    allowedTenants: Array.isArray(allowed) ? allowed.map(String) : undefined,
  };
}

/** Entra's v2.0 endpoints for a tenant segment, under `login` (Microsoft's or the sandbox's). */
function endpointsAt(login: string, api: string, settings: ProviderSettings): ProviderEndpoints {
  const base = `${login}/${entraSettings(settings).tenant}`;
  return {
    issuer: `${base}/v2.0`,
    authorization: `${base}/oauth2/v2.0/authorize`,
    token: `${base}/oauth2/v2.0/token`,
    // No revocation endpoint: Entra has none for user grants (revocation: none).
    api,
  };
}

const GRAPH = "https://graph.microsoft.com/";

/** Continuous Access Evaluation: this app handles Graph's claims challenges, so it says so (`cp1`). */
export const CLIENT_CAPABILITIES = { access_token: { xms_cc: { values: ["cp1"] } } };

// Work, school and personal Microsoft accounts (Microsoft Entra ID, v2.0 endpoints), with Graph as its API.
export const microsoftEntraIdDefinition = {
  id: "microsoft-entra-id",
  label: "Microsoft",
  icon: {
    color: "#00A4EF",
    path: "M1 1h10.5v10.5H1zM12.5 1H23v10.5H12.5zM1 12.5h10.5V23H1zM12.5 12.5H23V23H12.5z",
  },
  protocol: "oidc",
  // Entra's ID tokens leave auth_time out unless it is added as an optional claim: a new sign-in
  // for Confirm it's you cannot be proven, so it counts as an approval (as GitHub's).
  noAuthTime: true,
  // offline_access brings the refresh token; Entra never names it in a token answer (unechoedScopes).
  defaultScopes: ["openid", "profile", "email", "offline_access"],
  authorizationParams: { claims: JSON.stringify(CLIENT_CAPABILITIES) },
  newRefreshTokenParams: {},
  // Entra ignores max_age; prompt=login makes the user enter their credentials again.
  reauthenticationParams: { prompt: "login" },
  // Entra remembers each consent: a later authorization adds to the grant.
  supportsIncrementalScopes: true,
  scopeLabels: {
    openid: "Know who you are at Microsoft",
    profile: "See your name",
    email: "See your email address",
    offline_access: "Keep the access you gave when you are not using the app",
    [`${GRAPH}User.Read`]: "See your Microsoft profile",
    [`${GRAPH}Files.Read`]: "See your OneDrive files",
    [`${GRAPH}Calendars.Read`]: "See your Outlook calendar",
  },
  // Graph answers its scopes by their short names; this app asks for them by their full ones.
  scopeAliases: {
    "User.Read": `${GRAPH}User.Read`,
    "Files.Read": `${GRAPH}Files.Read`,
    "Calendars.Read": `${GRAPH}Calendars.Read`,
  },
  unechoedScopes: ["offline_access"],
  credentialsEnv: {
    id: "AUTH_MICROSOFT_ENTRA_ID_ID",
    secret: "AUTH_MICROSOFT_ENTRA_ID_SECRET",
    client: "Entra app registration (application)",
  },
  settingsEnv: {
    [TENANT_VARIABLE]: {
      schema: tenant,
      what: "which Microsoft accounts may sign in: `common` (work, school and personal; the default), `organizations` (work and school), `consumers` (personal) or one tenant id",
      fix: "set common, organizations, consumers, or your tenant's id (Entra admin center → Overview → Tenant ID)",
    },
    [ALLOWED_TENANTS_VARIABLE]: {
      schema: allowedTenants,
      what: `tenant ids, comma-separated, whose accounts may sign in or link (personal accounts: \`${PERSONAL_ACCOUNTS_TENANT}\`); unset = every tenant the tenant setting admits`,
      fix: "list tenant ids (GUIDs), comma-separated, or unset it",
    },
  },
  sandboxClient: { id: "0c7f5a2e-3b1d-4e8a-9f6c-5e2d1a4b7c90", secret: "sandbox-microsoft-secret" },
  endpoints: {
    production: (settings) =>
      endpointsAt("https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0", settings),
    sandbox: (base, settings) => endpointsAt(`${base}/microsoft`, `${base}/microsoft-graph/v1.0`, settings),
  },
  // Refresh tokens end after 90 days unused; each refresh starts the 90 days again.
  unusedGrantDays: 90,
  grantEnd: entraGrantEnd,
  accountProfile: (profile) => ({
    email: stringField(profile, "email") ?? stringField(profile, "preferred_username"),
    displayName: stringField(profile, "name"),
  }),
  // Work and school accounts; personal accounts manage theirs at account.live.com (the disconnect words say both).
  manageAccessUrl: "https://myapps.microsoft.com",
  manageAccessWhere:
    "at https://myapps.microsoft.com for a work or school account, or at https://account.live.com/consent/Manage for a personal one",
} as const satisfies ProviderDefinition;

/** The AADSTS codes that end a grant, and why (the code leads `error_description`, and is in `error_codes`). */
const AADSTS_GRANT_ENDS: Readonly<Record<number, GrantEnd["reason"]>> = {
  65001: "consent_required",
  50173: "expired_or_revoked",
  700082: "unused",
  70008: "expired_or_revoked",
  50076: "mfa_required",
  50079: "mfa_required",
  // The app is disabled (or blocked) in the user's tenant by an administrator.
  7000112: "admin_policy_enforced",
};

/** Entra's codes, from `error_codes` (a list of numbers) or the `AADSTS…:` that leads the description. */
export function aadstsCodes(answer: Readonly<Record<string, unknown>> | undefined): number[] {
  const listed = Array.isArray(answer?.error_codes)
    ? answer.error_codes.filter((code): code is number => typeof code === "number")
    : [];
  const described = /^AADSTS(\d+):/.exec(typeof answer?.error_description === "string" ? answer.error_description : "");
  return listed.length > 0 ? listed : described ? [Number(described[1])] : [];
}

/**
 * Entra says why in its AADSTS code, not in `error` (`invalid_grant` for most, `interaction_required`
 * for MFA). The cause names the code: `invalid_grant (AADSTS700082)`.
 */
function entraGrantEnd(
  error: string,
  _errorSubtype?: string,
  answer?: Readonly<Record<string, unknown>>,
): GrantEnd | undefined {
  const code = aadstsCodes(answer).find((candidate) => Object.hasOwn(AADSTS_GRANT_ENDS, candidate));
  return code === undefined ? undefined : { reason: AADSTS_GRANT_ENDS[code]!, error, errorSubtype: `AADSTS${code}` };
}
