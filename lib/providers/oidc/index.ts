import { revokeByRfc7009, verifiedEmailClaim } from "../standard";
import type { Provider } from "../types";
import { oidcDefinition, type OidcProviderOptions } from "./definition";

/**
 * A generic OpenID Connect provider: one registry line each (`oidcProvider({ id: "okta", label:
 * "Okta", envPrefix: "AUTH_OKTA" })` for a second one), configured by its variables alone.
 */
export function oidcProvider<const Id extends string, const Name extends string>(
  options: OidcProviderOptions<Id, Name>,
) {
  return {
    ...oidcDefinition(options),
    // Auth.js's own OIDC provider: it reads the discovery document at each sign-in, refuses one whose
    // issuer differs from the URL, and (oauth4webapi) checks RFC 9207's `iss` in the authorization
    // response, required when the issuer advertises it.
    authJsProvider: (provider, shared) => ({
      ...shared,
      id: provider.id,
      name: provider.label,
      type: "oidc",
      issuer: provider.urls.issuer,
      client: { token_endpoint_auth_method: "client_secret_basic" },
    }),
    // RFC 7009 at the discovery document's revocation_endpoint; without one, configuredProviders
    // makes it `none` (the honest "cannot be revoked here").
    revocation: { token: "refresh_token", revoke: revokeByRfc7009 },
    verifiedEmail: verifiedEmailClaim,
  } as const satisfies Provider;
}
