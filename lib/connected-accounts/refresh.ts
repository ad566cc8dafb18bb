import "server-only";
import type { Account } from "@prisma/client";
import { getDb } from "../db";
import type { ConfiguredProvider } from "../providers";
import { PROVIDER_TIMEOUT_MS, refreshGrant } from "./provider-grants";
import { openTokenColumn, sealTokenColumns } from "./sealed-tokens";
import { TokenDecryptionError } from "./token-crypto";
import { parseScopes, tokenColumns, unionScopes } from "./token-response";

/** A stored access token counts as usable only if it stays valid at least this long. */
export const EXPIRY_MARGIN_SECONDS = 60;

export type UsableToken = { accessToken: string; expiresAt: number | null; scopes: string[] };

export type RefreshResult =
  | { ok: true; token: UsableToken }
  | { ok: false; code: "not_linked" | "reconnect_required" | "provider_unavailable"; reason: string };

export type RefreshOptions = {
  /** An access token the provider just rejected: refresh even if it looks unexpired. */
  rejectedAccessToken?: string;
};

/** The decrypted access token of `row` if it can be used as is. */
export function usableToken(row: Account, options: RefreshOptions = {}): UsableToken | undefined {
  if (row.status !== "active" || row.access_token === null) return undefined;
  const accessToken = openTokenColumn(row, "access_token", row.access_token);
  if (!accessToken || accessToken === options.rejectedAccessToken) return undefined;
  const nowSeconds = Date.now() / 1000;
  if (row.expires_at !== null && row.expires_at - nowSeconds <= EXPIRY_MARGIN_SECONDS) return undefined;
  return { accessToken, expiresAt: row.expires_at, scopes: row.grantedScopes };
}

const inFlight = new Map<string, Promise<RefreshResult>>();

/**
 * Gets a usable access token for one account, refreshing it if needed — at most one refresh per
 * account at a time across every process: callers in this process share one promise, and
 * processes queue on a row lock. Whoever gets the lock second finds the new token and returns
 * it without calling the provider.
 */
export function refreshAccessToken(
  accountId: string,
  provider: ConfiguredProvider,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const running = inFlight.get(accountId);
  if (running) return running;
  const refresh = refreshUnderRowLock(accountId, provider, options).finally(() => inFlight.delete(accountId));
  inFlight.set(accountId, refresh);
  return refresh;
}

async function refreshUnderRowLock(
  accountId: string,
  provider: ConfiguredProvider,
  options: RefreshOptions,
): Promise<RefreshResult> {
  try {
    return await getDb().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
        // Read after the lock: another process may have refreshed (or rotated the refresh token) meanwhile.
        const row = await tx.account.findUnique({ where: { id: accountId } });
        if (!row) return { ok: false, code: "not_linked", reason: "the account was unlinked" };
        if (row.status === "needs_reconnect") {
          return { ok: false, code: "reconnect_required", reason: "the account needs to be reconnected" };
        }
        const stored = usableToken(row, options);
        if (stored) return { ok: true, token: stored };

        const refreshToken = openTokenColumn(row, "refresh_token", row.refresh_token);
        const outcome = refreshToken
          ? await refreshGrant(provider, refreshToken)
          : ({ kind: "invalid_grant", error: "no refresh token stored" } as const);

        switch (outcome.kind) {
          case "tokens": {
            const { tokens } = outcome;
            const grantedScopes = unionScopes(row.grantedScopes, parseScopes(tokens.scope));
            const updated = await tx.account.update({
              where: { id: accountId },
              data: {
                ...sealTokenColumns(row, tokenColumns(tokens)),
                grantedScopes,
                refreshedAt: new Date(),
                version: { increment: 1 },
              },
            });
            const token = usableToken(updated);
            return token
              ? { ok: true, token }
              : { ok: false, code: "provider_unavailable", reason: "the provider issued an already expiring token" };
          }
          case "invalid_grant":
            await tx.account.update({
              where: { id: accountId },
              data: { status: "needs_reconnect", version: { increment: 1 } },
            });
            return { ok: false, code: "reconnect_required", reason: `refresh refused: ${outcome.error}` };
          case "unavailable":
            return { ok: false, code: "provider_unavailable", reason: outcome.reason };
        }
      },
      // The provider call happens inside the transaction, so allow for its whole timeout.
      { maxWait: PROVIDER_TIMEOUT_MS, timeout: PROVIDER_TIMEOUT_MS * 2 },
    );
  } catch (error) {
    // A key problem is the server's misconfiguration, not a provider outage: let it surface.
    if (error instanceof TokenDecryptionError) throw error;
    return {
      ok: false,
      code: "provider_unavailable",
      reason: `refresh could not complete: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
