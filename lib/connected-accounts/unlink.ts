import "server-only";
import type { Account } from "@prisma/client";
import { log } from "../log";
import { findProvider, getConfiguredProviders, signsIn, type ConfiguredProvider } from "../providers";
import { failure, type Result } from "../result";
import { endAgentAccess } from "./agent-access";
import { changeWithEvents } from "./events";
import { refreshGrant, revokeGrant, type RevocationResult } from "./provider-grants";
import { EXPIRY_MARGIN_SECONDS } from "./refresh";
import { readableToken } from "./sealed-tokens";

export type UnlinkErrorCode = "not_found" | "last_sign_in_method";

/**
 * Unlinked: which provider, and whether the provider confirmed the revocation. `notRevocable`: it
 * has no revocation endpoint at all, so the user removes the app there.
 */
export type UnlinkResult = Result<
  { provider: string; revocation: RevocationResult; notRevocable?: true },
  UnlinkErrorCode
>;

/**
 * Removes one of the user's linked accounts and revokes its grant at the provider (best effort,
 * with whatever stored token can still be read: the outcome is returned and logged). Refuses to
 * remove the user's last way to sign in: the last account of a provider configured today that
 * signs in (not one for connecting only).
 * `accountId` must belong to `userId`; anyone else's id is reported as not found.
 */
export async function unlinkAccount(userId: string, accountId: string): Promise<UnlinkResult> {
  const configured = getConfiguredProviders();
  const removed = await changeWithEvents(async (tx, record) => {
    // Lock the user: two concurrent unlinks must not both pass the last-method check.
    await tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const accounts = await tx.account.findMany({ where: { userId } });
    const account = accounts.find((candidate) => candidate.id === accountId);
    if (!account) return failure("not_found", `account ${accountId} is not one of user ${userId}'s`);
    const otherSignInMethods = accounts.filter((other) => {
      const provider = findProvider(configured, other.provider);
      return other.id !== account.id && provider !== undefined && signsIn(provider);
    });
    if (otherSignInMethods.length === 0)
      return failure("last_sign_in_method", "no other configured provider signs this user in");
    const base = { userId, accountId: account.id, provider: account.provider };
    await endAgentAccess(tx, record, base, "the account was disconnected");
    await tx.account.delete({ where: { id: account.id } });
    const notRevocable = findProvider(configured, account.provider)?.revocation.token === "none";
    record({
      ...base,
      type: "connected_account.unlinked",
      // Said now, truthfully: nothing will end the grant at the provider but the user.
      ...(notRevocable ? { detail: { cause: "not_revocable" as const } } : {}),
    });
    return { ok: true, account } as const;
  });
  if (!removed.ok) return removed;

  const { account } = removed;
  const provider = findProvider(configured, account.provider);
  const revocation: RevocationResult = provider
    ? await revokeStoredGrant(provider, account)
    : failure("revocation_failed", `${account.provider} is not configured here`);
  if (!revocation.ok) {
    const reason = `removed, but its grant was not revoked: ${revocation.error.detail}`;
    log.warn("account.unlinked_not_revoked", { provider: account.provider, accountId: account.id, userId, reason });
  }
  const notRevocable = provider?.revocation.token === "none" ? { notRevocable: true as const } : {};
  return { ok: true, provider: account.provider, revocation, ...notRevocable };
}

async function revokeStoredGrant(provider: ConfiguredProvider, account: Account): Promise<RevocationResult> {
  const accessToken = readableToken(account, "access_token", account.access_token);
  const refreshToken = readableToken(account, "refresh_token", account.refresh_token);
  const { revocation } = provider;
  if (revocation.token === "none") return failure("revocation_failed", "the provider has no revocation endpoint");
  if (revocation.token === "refresh_token") {
    // Revoking the refresh token ends the whole grant; the access token is the fallback.
    const token = refreshToken ?? accessToken;
    return token ? revokeGrant(provider, token) : failure("revocation_failed", "no stored token can be read");
  }
  // Only a valid access token revokes the grant: refresh an expired one first.
  const expired = account.expires_at !== null && account.expires_at - Date.now() / 1000 <= EXPIRY_MARGIN_SECONDS;
  if (accessToken && !expired) return revokeGrant(provider, accessToken);
  if (!refreshToken) {
    return failure(
      "revocation_failed",
      accessToken ? "the access token has expired and there is no refresh token" : "no stored token can be read",
    );
  }
  const refreshed = await refreshGrant(provider, refreshToken);
  if (!refreshed.ok || !refreshed.tokens.access_token) {
    return failure(
      "revocation_failed",
      `could not get a valid token to revoke with: ${refreshed.ok ? "no access token" : refreshed.error.code}`,
    );
  }
  return revokeGrant(provider, refreshed.tokens.access_token);
}
