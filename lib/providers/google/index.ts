import Google from "next-auth/providers/google";
import { revokeByRfc7009, verifiedEmailClaim } from "../standard";
import type { Provider } from "../types";
import { googleDefinition } from "./definition";

export const google = {
  ...googleDefinition,
  authJsProvider: (provider, shared) => Google({ ...shared, issuer: provider.urls.issuer }),
  // Revoking the refresh token ends the whole grant; its access token is the fallback.
  revocation: { token: "refresh_token", revoke: revokeByRfc7009 },
  verifiedEmail: verifiedEmailClaim,
  // Google's APIs answer a missing scope with this reason in the error body.
  scopeRefusedInBody: (body) => body.includes("ACCESS_TOKEN_SCOPE_INSUFFICIENT"),
} as const satisfies Provider;
