import { authorizeGithub, authorizeGoogle, authorizeOidc, type TokenAnswer } from "../../sandbox/test-client";
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
  oidc: (sandboxUrl, email) => authorizeOidc(sandboxUrl, { email }),
};
