import "server-only";
import { getDb } from "../db";
import { isProviderId, type ProviderId } from "../providers";

/** What the UI may know about a linked account: never a token. */
export type ConnectedAccountSummary = {
  id: string;
  provider: ProviderId;
  providerAccountId: string;
  email: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  grantedScopes: string[];
  status: "active" | "needs_reconnect";
  accessTokenExpiresAt: Date | null;
  linkedAt: Date;
  lastRefreshedAt: Date | null;
};

export async function listConnectedAccounts(userId: string): Promise<ConnectedAccountSummary[]> {
  const rows = await getDb().account.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      provider: true,
      providerAccountId: true,
      email: true,
      displayName: true,
      avatarUrl: true,
      grantedScopes: true,
      status: true,
      expires_at: true,
      createdAt: true,
      refreshedAt: true,
    },
  });
  return rows.flatMap(({ provider, expires_at, createdAt, refreshedAt, ...row }) =>
    isProviderId(provider)
      ? [
          {
            ...row,
            provider,
            accessTokenExpiresAt: expires_at === null ? null : new Date(expires_at * 1000),
            linkedAt: createdAt,
            lastRefreshedAt: refreshedAt,
          },
        ]
      : [],
  );
}
