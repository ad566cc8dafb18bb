import "server-only";
import type { PrismaClient } from "@prisma/client";
import type { AdapterAccount } from "next-auth/adapters";
import type { AccountProfile } from "../providers";
import { sealTokenColumns } from "./sealed-tokens";
import { parseScopes, tokenColumns, unionScopes } from "./token-response";

type AccountKey = Pick<AdapterAccount, "provider" | "providerAccountId">;

/** Stores a newly linked account (called by the Auth.js adapter). */
export async function createLinkedAccount(db: PrismaClient, account: AdapterAccount): Promise<void> {
  await db.account.create({
    data: {
      userId: account.userId,
      type: account.type,
      provider: account.provider,
      providerAccountId: account.providerAccountId,
      ...sealTokenColumns(account, tokenColumns(account)),
      grantedScopes: unionScopes(parseScopes(account.scope)),
    },
  });
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
 * refresh token when the provider sent none, the union of scopes, and status back to active.
 */
export async function recordSignIn(
  db: PrismaClient,
  account: AccountKey & Parameters<typeof tokenColumns>[0],
  profile: AccountProfile,
): Promise<void> {
  const where = {
    provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId },
  };
  await db.$transaction(async (tx) => {
    // FOR UPDATE: a concurrent token write must not slip between reading and widening the scopes.
    const [stored] = await tx.$queryRaw<{ userId: string; grantedScopes: string[] }[]>`
      SELECT "userId", "grantedScopes" FROM "Account"
      WHERE provider = ${account.provider} AND "providerAccountId" = ${account.providerAccountId}
      FOR UPDATE`;
    if (!stored) return;
    await tx.account.update({
      where,
      data: {
        ...sealTokenColumns({ ...account, userId: stored.userId }, tokenColumns(account)),
        grantedScopes: unionScopes(stored.grantedScopes, parseScopes(account.scope)),
        status: "active",
        version: { increment: 1 },
        ...profile,
      },
    });
  });
}
