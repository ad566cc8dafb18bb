// What providers share because a standard says it: RFC 7009 revocation and OIDC's verified email.
// A provider's folder uses these; nothing here reads the environment.
import * as oauth from "oauth4webapi";
import type { ConfiguredProvider } from "./types";

/** How long we wait for any provider endpoint (token, revocation, API) before giving up. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** How the client proves itself at the token and revocation endpoints (client_secret_post unless the provider says). */
export function clientAuthentication(
  provider: Pick<ConfiguredProvider, "clientAuthentication" | "clientSecret">,
): oauth.ClientAuth {
  return provider.clientAuthentication === "client_secret_basic"
    ? oauth.ClientSecretBasic(provider.clientSecret)
    : oauth.ClientSecretPost(provider.clientSecret);
}

/** RFC 7009: posts the token to the revocation endpoint with the client's credentials. */
export async function revokeByRfc7009(
  provider: ConfiguredProvider,
  token: string,
  signal: AbortSignal,
): Promise<Response> {
  const as: oauth.AuthorizationServer = {
    issuer: provider.urls.issuer,
    token_endpoint: provider.urls.token,
    revocation_endpoint: provider.urls.revocation,
  };
  return oauth.revocationRequest(
    as,
    { client_id: provider.clientId },
    clientAuthentication(provider),
    token,
    // Plain http is only ever the loopback sandbox: lib/env.ts refuses any other http issuer.
    { signal, [oauth.allowInsecureRequests]: provider.sandbox },
  );
}

/** OIDC: the `email` claim, when `email_verified` is true. */
export async function verifiedEmailClaim(
  _provider: ConfiguredProvider,
  profile: Record<string, unknown>,
): Promise<string | undefined> {
  return profile.email_verified === true && typeof profile.email === "string" ? profile.email.toLowerCase() : undefined;
}
