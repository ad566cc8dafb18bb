import "server-only";
import { getDb } from "../db";
import { getConfiguredProviders, isProviderId, signsIn, type ProviderId } from "../providers";
import { tryOpenTokenColumn } from "./sealed-tokens";
import type { UnreadableReason } from "./token-crypto";

/** What the UI may know about a linked account: never a token. */
export type ConnectedAccountSummary = {
  id: string;
  provider: ProviderId;
  providerAccountId: string;
  email: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  grantedScopes: string[];
  /** needs_reconnect also when the stored grant cannot be read (see `unreadable`). */
  status: "active" | "needs_reconnect";
  /** Why the stored grant cannot be read here (its encryption key is not listed, say), or null. */
  unreadable: UnreadableReason | null;
  accessTokenExpiresAt: Date | null;
  /** When the refresh token itself ends, where the provider says (GitHub App tokens: 6 months). */
  refreshTokenExpiresAt: Date | null;
  linkedAt: Date;
  lastRefreshedAt: Date | null;
  /** When getAccessToken last handed out a token for it (noted at most once a minute), and for what. */
  lastUsedAt: Date | null;
  /** The `feature` label of that use, e.g. "Drive". */
  lastUsedFeature: string | null;
  /** A refresh token is stored: expiry is handled without the user. */
  canRefresh: boolean;
  /** The provider is configured here and signs in (it is not for connecting only): this account is a way to sign in. */
  canSignIn: boolean;
};

/** How the account is named on screen: its email, else its display name, else its provider id. */
export function accountName(
  account: Pick<ConnectedAccountSummary, "email" | "displayName" | "providerAccountId">,
): string {
  return account.email ?? account.displayName ?? account.providerAccountId;
}

/** A refresh token ending within this long is announced on the card ("Reconnect needed by …"). */
const RECONNECT_NOTICE_DAYS = 14;

/**
 * The date by which the user must reconnect, when the refresh token ends soon: GitHub App refresh
 * tokens last 6 months, renewed by every refresh, so only an account unused that long gets here.
 */
export function reconnectDeadline(account: ConnectedAccountSummary, now = new Date()): Date | undefined {
  const ends = account.refreshTokenExpiresAt;
  if (account.status !== "active" || !ends) return undefined;
  return ends.getTime() - now.getTime() < RECONNECT_NOTICE_DAYS * 24 * 60 * 60 * 1000 ? ends : undefined;
}

export type AccountHealth = "active" | "expires_soon" | "needs_reconnect";

/** What the token status means for the user right now. */
export function accountHealth(account: ConnectedAccountSummary, now = new Date()): AccountHealth {
  if (account.status === "needs_reconnect") return "needs_reconnect";
  const expiresIn = account.accessTokenExpiresAt ? account.accessTokenExpiresAt.getTime() - now.getTime() : Infinity;
  return !account.canRefresh && expiresIn < 10 * 60 * 1000 ? "expires_soon" : "active";
}

export async function listConnectedAccounts(userId: string): Promise<ConnectedAccountSummary[]> {
  const rows = await getDb().account.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      userId: true,
      provider: true,
      providerAccountId: true,
      email: true,
      displayName: true,
      avatarUrl: true,
      grantedScopes: true,
      status: true,
      expires_at: true,
      refresh_token_expires_at: true,
      createdAt: true,
      refreshedAt: true,
      lastUsedAt: true,
      lastUsedFeature: true,
      refresh_token: true,
      access_token: true,
    },
  });
  const signInProviders = new Set(
    getConfiguredProviders()
      .filter(signsIn)
      .map((provider) => provider.id),
  );
  return rows.flatMap(
    ({
      userId,
      provider,
      providerAccountId,
      expires_at,
      refresh_token_expires_at,
      createdAt,
      refreshedAt,
      refresh_token,
      access_token,
      status,
      ...row
    }) => {
      // The grant lives in the refresh token when there is one, else in the access token.
      const grant = refresh_token === null ? "access_token" : "refresh_token";
      const opened = tryOpenTokenColumn({ userId, provider, providerAccountId }, grant, refresh_token ?? access_token);
      return isProviderId(provider)
        ? [
            {
              ...row,
              provider,
              providerAccountId,
              status: opened.ok ? status : "needs_reconnect",
              unreadable: opened.ok ? null : opened.error.reason,
              accessTokenExpiresAt: expires_at === null ? null : new Date(expires_at * 1000),
              refreshTokenExpiresAt:
                refresh_token_expires_at === null ? null : new Date(refresh_token_expires_at * 1000),
              linkedAt: createdAt,
              lastRefreshedAt: refreshedAt,
              canRefresh: refresh_token !== null,
              canSignIn: signInProviders.has(provider),
            },
          ]
        : [];
    },
  );
}
