// Auth.js's own symbol, from @auth/core (next-auth pins it exactly and re-exports it, but loading next-auth
// needs Next.js, and the registry is loaded outside it).
import { customFetch } from "@auth/core";
import type { OIDCConfig } from "next-auth/providers";
import * as oauth from "oauth4webapi";
import type { ConfiguredProvider, Provider } from "../types";
import { entraSettings, microsoftEntraIdDefinition } from "./definition";

export const microsoftEntraId = {
  ...microsoftEntraIdDefinition,
  authJsProvider: (provider, shared) => {
    const config: OIDCConfig<Record<string, unknown>> = {
      ...shared,
      id: provider.id,
      name: provider.label,
      type: "oidc",
      // Auth.js reads this tenant's discovery document, through tenantIssuerCheck.
      issuer: provider.urls.issuer,
      [customFetch]: tenantIssuerCheck(provider),
    };
    return config;
  },
  // Entra has no revocation endpoint for user grants: Disconnect says where to remove the app.
  revocation: { token: "none" },
  // A refresh answers a new ID token too, naming the user's tenant.
  authorizationServer: (provider) => ({
    issuer: provider.urls.issuer,
    token_endpoint: provider.urls.token,
    [expectedIssuerHook()]: (result: { claims: Record<string, unknown> }) =>
      expectedIssuer(issuerTemplate(provider), result.claims) ?? NO_TENANT,
  }),
  verifiedEmail: async (_provider, profile) => edovEmail(profile),
  admitsAccount: (provider, profile) => tenantAdmitted(provider, profile),
} as const satisfies Provider;

/**
 * Entra's `email` is not verified. Only `xms_edov: true` (the email's domain is verified by its
 * tenant's owner) vouches for it, and then for that `email` only: never `preferred_username`.
 */
export function edovEmail(profile: Record<string, unknown>): string | undefined {
  return profile.xms_edov === true && typeof profile.email === "string" && profile.email !== ""
    ? profile.email.toLowerCase()
    : undefined;
}

/** Is the ID token's tenant on the allow-list (when there is one)? */
export function tenantAdmitted(provider: Pick<ConfiguredProvider, "settings">, profile: Record<string, unknown>) {
  const { allowedTenants } = entraSettings(provider.settings);
  if (!allowedTenants) return true;
  return typeof profile.tid === "string" && allowedTenants.includes(profile.tid.toLowerCase());
}

/** What an ID token without a tenant id is held to: no issuer is this. */
const NO_TENANT = "(an ID token with no tenant id)";

/** The issuer the configured tenant endpoint publishes: `…/{tenantid}/v2.0` for the multi-tenant ones. */
export function issuerTemplate(provider: Pick<ConfiguredProvider, "settings" | "urls">): string {
  const { tenant } = entraSettings(provider.settings);
  const multiTenant = tenant === "common" || tenant === "organizations" || tenant === "consumers";
  return multiTenant ? provider.urls.issuer.replace(`/${tenant}/v2.0`, "/{tenantid}/v2.0") : provider.urls.issuer;
}

/**
 * The issuer an ID token must name: the discovery document's `issuer` with the token's own `tid`
 * put for `{tenantid}` (the multi-tenant endpoints publish that template; a tenant's own endpoint
 * publishes its issuer as is). A `tid` that is no tenant id matches nothing.
 */
export function expectedIssuer(published: string, claims: Record<string, unknown>): string | undefined {
  if (!published.includes("{tenantid}")) return published;
  const tid = claims.tid;
  if (typeof tid !== "string" || !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(tid)) return undefined;
  return published.replace("{tenantid}", tid);
}

/**
 * Auth.js compares an ID token's `iss` with the discovery document's `issuer`, exactly; Entra's
 * multi-tenant endpoints publish `…/{tenantid}/v2.0`, and their ID tokens name the user's own
 * tenant (next-auth issue 8374). Auth.js's own fix, for its built-in provider only, decodes `tid`
 * and reads that tenant's discovery document, over HTTPS only. Here the discovery document Auth.js
 * reads carries oauth4webapi's hook for the expected issuer (`_expectedIssuer`), which oauth4webapi
 * asks with each ID token's claims: the template with that token's `tid`, compared exactly. A token
 * whose `iss` names another tenant than its `tid`, or that has no `tid`, is refused.
 */
function tenantIssuerCheck(provider: ConfiguredProvider): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.endsWith("/.well-known/openid-configuration") || !response.ok) return response;
    const document = (await response.json()) as Record<string, unknown>;
    const published = String(document.issuer);
    const metadata = {
      ...document,
      // The tenant endpoint Auth.js asked about: what it checks the document against.
      issuer: provider.urls.issuer,
      [expectedIssuerHook()]: (result: { claims: Record<string, unknown> }) =>
        expectedIssuer(published, result.claims) ?? NO_TENANT,
    };
    const answer = Response.json(document, { headers: { "content-type": "application/json" } });
    // oauth4webapi keeps what `json()` gives as the authorization server's metadata.
    return Object.assign(answer, { json: async () => metadata });
  };
}

/**
 * oauth4webapi's hook for the issuer an ID token must name (exported, not in its types: its author
 * offers it for Entra's multi-tenant endpoints). Checked by microsoft-entra-id.test.ts against the
 * installed version; gone in a later one, sign-in with Microsoft fails with this line.
 */
function expectedIssuerHook(): symbol {
  const hook = (oauth as unknown as { _expectedIssuer?: unknown })._expectedIssuer;
  if (typeof hook !== "symbol")
    throw new Error("oauth4webapi no longer exports _expectedIssuer: Entra's issuer cannot be checked");
  return hook;
}
