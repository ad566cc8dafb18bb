import "server-only";
import type { Prisma } from "@prisma/client";
import { canonicalScopes, type ProviderDefinition } from "../providers";

/** The token fields of an OAuth token response, as Auth.js hands them to the adapter and events. */
export type TokenResponseFields = {
  access_token?: string | null;
  refresh_token?: string | null;
  expires_at?: number | null;
  expires_in?: number | null;
  refresh_token_expires_in?: number | null;
  token_type?: string | null;
  scope?: string | null;
  id_token?: string | null;
  session_state?: unknown;
  authorization_details?: unknown;
};

export function parseScopes(scope: string | null | undefined): string[] {
  return scope ? scope.split(/[\s,]+/).filter(Boolean) : [];
}

export function unionScopes(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/**
 * What is granted after a token answer: its `scope` is the truth about the grant. Only where the
 * provider documents a union, an authorization with incremental scopes (Google with
 * include_granted_scopes, which every Google authorization here sends), is it added to what was
 * granted before. An answer with no scope changes nothing: RFC 6749 lets a provider omit it when
 * it is unchanged, and GitHub App tokens always answer "" (they have permissions, not scopes).
 * Names are stored as this app spells them (Google answers `…/userinfo.email` for `email`).
 */
export function grantedScopesAfter(
  provider: Pick<ProviderDefinition, "scopeAliases" | "supportsIncrementalScopes">,
  stored: readonly string[],
  answer: { scope?: string | null },
  kind: "consent" | "refresh",
): string[] {
  const answered = canonicalScopes(provider, parseScopes(answer.scope));
  if (answered.length === 0) return unionScopes(stored);
  return kind === "consent" && provider.supportsIncrementalScopes
    ? unionScopes(canonicalScopes(provider, stored), answered)
    : unionScopes(answered);
}

/**
 * Maps a token response to Account columns. Fields the provider did not send are left
 * undefined so an update keeps what is stored (Google sends no new refresh token on refresh);
 * the expiry always belongs to the access token sent with it.
 * Unknown fields are dropped: Prisma rejects columns it does not know (GitHub Apps send
 * `refresh_token_expires_in`, which Auth.js passes through untouched).
 */
export function tokenColumns(tokens: TokenResponseFields, now: Date = new Date()) {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expiresAt = tokens.expires_at ?? (tokens.expires_in ? nowSeconds + tokens.expires_in : undefined);
  return {
    access_token: tokens.access_token ?? undefined,
    refresh_token: tokens.refresh_token ?? undefined,
    // A new access token without a lifetime has no known expiry: it is used until the provider
    // answers 401 (then one refresh). Keeping the old token's expiry would refresh on every call.
    expires_at: expiresAt ?? (tokens.access_token ? null : undefined),
    refresh_token_expires_at: tokens.refresh_token_expires_in
      ? nowSeconds + tokens.refresh_token_expires_in
      : undefined,
    token_type: tokens.token_type ?? undefined,
    scope: tokens.scope ?? undefined,
    id_token: tokens.id_token ?? undefined,
    session_state: typeof tokens.session_state === "string" ? tokens.session_state : undefined,
    authorization_details:
      tokens.authorization_details === undefined ? undefined : (tokens.authorization_details as Prisma.InputJsonValue),
  } satisfies Prisma.AccountUpdateInput;
}
