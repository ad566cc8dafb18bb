import type { RefreshTarget } from "../../sandbox/state";
import {
  authorizeGithub,
  authorizeGoogle,
  authorizeMicrosoft,
  authorizeOidc,
  type TokenAnswer,
} from "../../sandbox/test-client";
import type { ProviderId } from "../../lib/providers/registry";

/**
 * How a test signs a user in at each registered provider's sandbox stand-in, without a browser.
 * Keyed by ProviderId: a provider added to the registry fails the typecheck here until it has an
 * entry, and lib/providers/conformance.test.ts runs the shared behaviours on it. `null` says the
 * sandbox has no stand-in for it (real credentials only): the suite then lists it as skipped.
 */
export const SANDBOX_AUTHORIZE: Record<
  ProviderId,
  ((sandboxUrl: string, email: string) => Promise<TokenAnswer>) | null
> = {
  google: (sandboxUrl, email) => authorizeGoogle(sandboxUrl, { email }),
  github: (sandboxUrl, email) => authorizeGithub(sandboxUrl, { email }),
  "github-app": (sandboxUrl, email) =>
    authorizeGithub(sandboxUrl, { email, clientId: "sandbox-github-app", scope: "repo" }),
  // As the app asks (its default scopes, the cp1 capability); a typed address is a personal account.
  "microsoft-entra-id": (sandboxUrl, email) =>
    authorizeMicrosoft(sandboxUrl, {
      email,
      scope: "openid profile email offline_access",
      claims: JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } }),
    }),
  oidc: (sandboxUrl, email) => authorizeOidc(sandboxUrl, { email }),
};

/** Where the sandbox's control endpoint knows a provider by another name than its id. */
const SANDBOX_NAMES: Partial<Record<ProviderId, RefreshTarget>> = {
  "github-app": "github",
  "microsoft-entra-id": "microsoft",
};

/** The provider's name at the sandbox's control endpoint (refresh modes, expiry, counts). */
export function sandboxName(id: ProviderId): RefreshTarget {
  return SANDBOX_NAMES[id] ?? (id as RefreshTarget);
}
