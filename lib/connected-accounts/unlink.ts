import "server-only";
import { getDb } from "../db";
import { findProvider, getConfiguredProviders } from "../providers";
import { revokeGrant, type RevocationOutcome } from "./provider-grants";
import { openTokenColumn } from "./sealed-tokens";

export type UnlinkErrorCode = "not_found" | "last_sign_in_method";

export type UnlinkResult =
  | { ok: true; provider: string; revocation: RevocationOutcome | { revoked: false; reason: "no token stored" } }
  | { ok: false; code: UnlinkErrorCode };

/**
 * Removes one of the user's linked accounts and revokes its grant at the provider (best effort:
 * the outcome is returned and logged). Refuses to remove the user's last way to sign in.
 * `accountId` must belong to `userId`; anyone else's id is reported as not found.
 */
export async function unlinkAccount(userId: string, accountId: string): Promise<UnlinkResult> {
  const removed = await getDb().$transaction(async (tx) => {
    // Lock the user: two concurrent unlinks must not both pass the last-method check.
    await tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const accounts = await tx.account.findMany({ where: { userId } });
    const account = accounts.find((candidate) => candidate.id === accountId);
    if (!account) return { ok: false, code: "not_found" } as const;
    if (accounts.length === 1) return { ok: false, code: "last_sign_in_method" } as const;
    await tx.account.delete({ where: { id: account.id } });
    return { ok: true, account } as const;
  });
  if (!removed.ok) return removed;

  const { account } = removed;
  const provider = findProvider(getConfiguredProviders(), account.provider);
  // Google ends the whole grant when its refresh token is revoked; GitHub revokes by access token.
  const preferred = provider?.revocationStyle === "github-grant" ? "access_token" : "refresh_token";
  const token =
    openTokenColumn(account, preferred, account[preferred]) ??
    openTokenColumn(account, "access_token", account.access_token);
  if (!token || !provider) {
    return { ok: true, provider: account.provider, revocation: { revoked: false, reason: "no token stored" } };
  }
  const revocation = await revokeGrant(provider, token);
  if (!revocation.revoked) {
    console.warn(`unlink: ${account.provider} account ${account.id} removed, but revocation failed: ${revocation.reason}`);
  }
  return { ok: true, provider: account.provider, revocation };
}
