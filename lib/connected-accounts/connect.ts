import "server-only";
import { z } from "zod";
import { getDb } from "../db";
import { jsonText } from "../request-fields";
import { failure, type Result } from "../result";
import { scopeLabel, type ConfiguredProvider } from "../providers";
import { readableToken } from "./sealed-tokens";
import { unionScopes } from "./token-response";

const scopeList = z
  .string()
  .max(2000)
  .transform((value) => value.split(/\s+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/, "invalid scope")).max(30));

/** Parses a space-separated `scopes` query value; junk is refused rather than forwarded. */
export function parseRequestedScopes(value: string | null): ScopesResult {
  const parsed = scopeList.safeParse(value ?? "");
  return parsed.success
    ? { ok: true, scopes: parsed.data }
    : failure("invalid_request", "scopes are not a list of well-formed scopes");
}

export type ScopesResult = Result<{ scopes: string[] }, "invalid_request">;

const claimsRequest = jsonText(2000).pipe(
  z.strictObject({
    access_token: z.record(z.string(), z.unknown()).optional(),
    id_token: z.record(z.string(), z.unknown()).optional(),
  }),
);

export type ClaimsResult = Result<{ claims: string | undefined }, "invalid_request">;

/**
 * An OpenID Connect `claims` request (JSON) that a provider's challenge asked the user to sign in
 * with (Entra's Continuous Access Evaluation), from a form or a URL: the access and ID token claims
 * only, at most 2000 characters. None is fine; junk is refused.
 */
export function parseClaimsRequest(value: unknown): ClaimsResult {
  if (value === undefined || value === null || value === "") return { ok: true, claims: undefined };
  const parsed = claimsRequest.safeParse(value);
  return parsed.success
    ? { ok: true, claims: JSON.stringify(parsed.data) }
    : failure("invalid_request", "claims is not an OpenID Connect claims request");
}

/** Two `claims` requests as one: each token's claims together (the provider's own, e.g. Entra's cp1, kept). */
function mergedClaims(own: string | undefined, asked: string | undefined): string | undefined {
  if (!own || !asked) return own ?? asked;
  const a = JSON.parse(own) as Record<string, Record<string, unknown>>;
  const b = JSON.parse(asked) as Record<string, Record<string, unknown>>;
  const merged = Object.fromEntries(
    [...new Set([...Object.keys(a), ...Object.keys(b)])].map((token) => [token, { ...a[token], ...b[token] }]),
  );
  return JSON.stringify(merged);
}

/**
 * Scopes a user may be asked to grant `provider`: well formed, and declared by this app (the
 * provider's `scopeLabels`). Anything else would let whoever wrote a link choose what the consent
 * screen asks for.
 */
export function parseGrantableScopes(provider: ConfiguredProvider, value: unknown): ScopesResult {
  const parsed = parseRequestedScopes(typeof value === "string" ? value : null);
  if (!parsed.ok) return parsed;
  const undeclared = parsed.scopes.filter((scope) => scopeLabel(provider, scope) === undefined);
  return undeclared.length === 0
    ? parsed
    : failure("invalid_request", `not declared for ${provider.id}: ${undeclared.join(" ")}`);
}

/** Authorization parameters that make the user sign in at `provider` again (lib/auth/recent-sign-in.ts). */
export function reauthenticationParams(provider: ConfiguredProvider): Record<string, string> {
  return {
    ...provider.authorizationParams,
    scope: provider.defaultScopes.join(" "),
    ...provider.reauthenticationParams,
  };
}

/**
 * Authorization parameters to link `provider` to the signed-in user, or to add `requestedScopes`
 * to an existing link. Providers with incremental authorization (Google) get only the new scopes
 * plus include_granted_scopes; others must be asked for everything again. The provider's
 * `newRefreshTokenParams` (Google: prompt=consent) only when no usable refresh token is stored
 * (none, one no listed key opens, or the account needs reconnecting):
 * it is the only way to get a new one, and it costs the user a consent screen. `claims`: what a
 * provider's challenge asked for (parseClaimsRequest), added to the provider's own `claims`.
 */
export async function connectAuthorizationParams(
  userId: string,
  provider: ConfiguredProvider,
  requestedScopes: readonly string[],
  claims?: string,
): Promise<Record<string, string>> {
  const existing = await getDb().account.findFirst({
    where: { userId, provider: provider.id },
    orderBy: { createdAt: "asc" },
    select: {
      userId: true,
      provider: true,
      providerAccountId: true,
      grantedScopes: true,
      refresh_token: true,
      status: true,
    },
  });
  const scopes = provider.supportsIncrementalScopes
    ? unionScopes(provider.defaultScopes, requestedScopes)
    : unionScopes(provider.defaultScopes, existing?.grantedScopes ?? [], requestedScopes);
  const storedRefreshToken = existing && readableToken(existing, "refresh_token", existing.refresh_token);
  const needsNewRefreshToken = !storedRefreshToken || existing.status === "needs_reconnect";
  const ownClaims: string | undefined = (provider.authorizationParams as Record<string, string>).claims;
  const allClaims = mergedClaims(ownClaims, claims);
  return {
    ...provider.authorizationParams,
    scope: scopes.join(" "),
    ...(needsNewRefreshToken ? provider.newRefreshTokenParams : {}),
    ...(allClaims ? { claims: allClaims } : {}),
  };
}
