import "server-only";
import type { PrismaClient } from "@prisma/client";
import type { AdapterAccount } from "next-auth/adapters";
import { findProvider, providerRegistry, type AccountProfile, type ProviderDefinition } from "../providers";
import { changeWithEvents, scopeChange } from "./events";
import { sealTokenColumns } from "./sealed-tokens";
import { grantedScopesAfter, tokenColumns } from "./token-response";

/** The provider's definition; a provider no longer in the registry keeps its scopes as they are named. */
function definition(id: string): Pick<ProviderDefinition, "scopeAliases" | "supportsIncrementalScopes"> {
  return findProvider(providerRegistry, id) ?? { scopeAliases: {}, supportsIncrementalScopes: false };
}

type StoredGrant = { id: string; userId: string; grantedScopes: string[]; status: string };

type AccountKey = Pick<AdapterAccount, "provider" | "providerAccountId">;

/** Stores a newly linked account (called by the Auth.js adapter), and its linked event. */
export async function createLinkedAccount(db: PrismaClient, account: AdapterAccount): Promise<void> {
  await changeWithEvents(async (tx, record) => {
    const created = await tx.account.create({
      data: {
        userId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        ...sealTokenColumns(account, tokenColumns(account)),
        grantedScopes: grantedScopesAfter(definition(account.provider), [], account, "consent"),
      },
      select: { id: true, grantedScopes: true },
    });
    record({
      type: "connected_account.linked",
      userId: account.userId,
      accountId: created.id,
      provider: account.provider,
      detail: { granted: created.grantedScopes, removed: [] },
    });
  }, db);
}

/** Shows a newly linked account by the name, email and picture its provider gave. */
export async function recordAccountProfile(
  db: PrismaClient,
  account: AccountKey,
  profile: AccountProfile,
): Promise<void> {
  await db.account.updateMany({
    where: { provider: account.provider, providerAccountId: account.providerAccountId },
    data: {
      email: profile.email ?? null,
      displayName: profile.displayName ?? null,
      avatarUrl: profile.avatarUrl ?? null,
    },
  });
}

/**
 * Auth.js leaves an existing Account row untouched when the user signs in or consents again,
 * so fresh tokens and newly granted scopes would be lost. This writes them: new tokens, the old
 * refresh token when the provider sent none, the scopes granted (./token-response.ts
 * grantedScopesAfter), and status back to active;
 * with events for scopes newly granted and for an account that needed reconnecting.
 */
export async function recordSignIn(
  db: PrismaClient,
  account: AccountKey & Parameters<typeof tokenColumns>[0],
  profile: AccountProfile,
): Promise<void> {
  const where = {
    provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId },
  };
  await changeWithEvents(async (tx, record) => {
    // FOR UPDATE: a concurrent token write must not slip between reading and widening the scopes.
    const [stored] = await tx.$queryRaw<StoredGrant[]>`
      SELECT id, "userId", "grantedScopes", status FROM "Account"
      WHERE provider = ${account.provider} AND "providerAccountId" = ${account.providerAccountId}
      FOR UPDATE`;
    if (!stored) return;
    const grantedScopes = grantedScopesAfter(definition(account.provider), stored.grantedScopes, account, "consent");
    await tx.account.update({
      where,
      data: {
        ...sealTokenColumns({ ...account, userId: stored.userId }, tokenColumns(account)),
        grantedScopes,
        status: "active",
        refreshFailures: 0,
        sweepRetryAt: null,
        version: { increment: 1 },
        ...profile,
      },
    });
    const event = { userId: stored.userId, accountId: stored.id, provider: account.provider };
    const change = scopeChange(stored.grantedScopes, grantedScopes);
    if (change) record({ ...event, type: "connected_account.scopes_changed", reason: "consent", detail: change });
    if (stored.status === "needs_reconnect") {
      record({ ...event, type: "connected_account.recovered", reason: "signed in again" });
    }
  }, db);
}
