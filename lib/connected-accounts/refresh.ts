import "server-only";
import type { Account, Prisma } from "@prisma/client";
import { getDb } from "../db";
import { describeError, failure, type Result } from "../result";
import { log } from "../log";
import type { ConfiguredProvider } from "../providers";
import { PROVIDER_TIMEOUT_MS, refreshGrant } from "./provider-grants";
import { readableToken, sealTokenColumns, tryOpenTokenColumn } from "./sealed-tokens";
import { parseScopes, tokenColumns, unionScopes, type TokenResponseFields } from "./token-response";

/** A stored access token counts as usable only if it stays valid at least this long. */
export const EXPIRY_MARGIN_SECONDS = 60;

export type UsableToken = { accessToken: string; expiresAt: number | null; scopes: string[] };

export type RefreshResult = Result<
  { token: UsableToken },
  "not_linked" | "reconnect_required" | "provider_unavailable"
>;

export type RefreshOptions = {
  /** An access token the provider just rejected: refresh even if it looks unexpired. */
  rejectedAccessToken?: string;
};

/** The decrypted access token of `row` if it can be used as is (one no listed key opens cannot). */
export function usableToken(row: Account, options: RefreshOptions = {}): UsableToken | undefined {
  if (row.status !== "active" || row.access_token === null) return undefined;
  const accessToken = readableToken(row, "access_token", row.access_token);
  if (!accessToken || accessToken === options.rejectedAccessToken) return undefined;
  const nowSeconds = Date.now() / 1000;
  if (row.expires_at !== null && row.expires_at - nowSeconds <= EXPIRY_MARGIN_SECONDS) return undefined;
  return { accessToken, expiresAt: row.expires_at, scopes: row.grantedScopes };
}

// The provider call happens inside the transaction: allow for its whole timeout, and for a wait
// on the row lock while another process makes its own call.
const LOCK_WAIT_OPTIONS = { maxWait: PROVIDER_TIMEOUT_MS, timeout: PROVIDER_TIMEOUT_MS * 2 };

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
  if (running) {
    // The refresh this caller joins was started for someone else, and may hand back (unrefreshed)
    // the very token the provider just refused this caller: then it needs a refresh of its own.
    return running.then((result) =>
      result.ok && result.token.accessToken === options.rejectedAccessToken
        ? refreshAccessToken(accountId, provider, options)
        : result,
    );
  }
  const refresh = refreshUnderRowLock(accountId, provider, options).finally(() => inFlight.delete(accountId));
  inFlight.set(accountId, refresh);
  return refresh;
}

/** A provider's answer to a refresh, with the refresh token it was given. */
type ProviderAnswer = { spentRefreshToken: string; tokens: TokenResponseFields };

async function refreshUnderRowLock(
  accountId: string,
  provider: ConfiguredProvider,
  options: RefreshOptions,
): Promise<RefreshResult> {
  let answer: ProviderAnswer | undefined;
  try {
    return await getDb().$transaction(async (tx) => {
      const row = await lockAccountRow(tx, accountId);
      if (!row) return failure("not_linked", "the account was unlinked");
      if (row.status === "needs_reconnect") return failure("reconnect_required", "the account needs to be reconnected");
      const usable = usableToken(row, options);
      if (usable) return { ok: true, token: usable };

      const stored = tryOpenTokenColumn(row, "refresh_token", row.refresh_token);
      if (!stored.ok) {
        // Not marked: the operator may add the key back. Until then the user is asked to reconnect,
        // and the list shows needs_reconnect too (lib/connected-accounts/list.ts).
        const reason = `the stored refresh token cannot be read: ${stored.error.detail}`;
        return refreshFailed(row, "reconnect_required", reason, stored.error.cause);
      }
      const refreshToken = stored.token;
      if (!refreshToken) return markNeedsReconnect(tx, row, "no refresh token stored");
      const granted = await refreshGrant(provider, refreshToken);
      if (granted.ok) {
        answer = { spentRefreshToken: refreshToken, tokens: granted.tokens };
        return storeRefreshedTokens(tx, row, granted.tokens);
      }
      return granted.error.code === "invalid_grant"
        ? markNeedsReconnect(tx, row, granted.error.detail)
        : refreshFailed(row, "provider_unavailable", granted.error.detail);
    }, LOCK_WAIT_OPTIONS);
  } catch (error) {
    // The provider has answered but the transaction died (PostgreSQL restarted, the connection
    // dropped): a rotating provider has already spent the stored refresh token, so keep the answer.
    if (answer) return storeAnswerOfLostTransaction(accountId, provider, answer, error);
    return refreshFailed(
      { id: accountId, provider: provider.id },
      "provider_unavailable",
      `refresh could not complete: ${describeError(error)}`,
    );
  }
}

type FailedRefresh = Extract<RefreshResult, { ok: false }>;

/** A refresh that ends without a token, on record: `reason` is our own words, never a token. */
function refreshFailed(
  account: { id: string; provider: string; userId?: string },
  code: "reconnect_required" | "provider_unavailable",
  reason: string,
  cause?: unknown,
): FailedRefresh {
  log.warn("token.refresh_failed", {
    provider: account.provider,
    accountId: account.id,
    userId: account.userId,
    code,
    reason,
    cause,
  });
  return failure(code, reason);
}

async function lockAccountRow(tx: Prisma.TransactionClient, accountId: string): Promise<Account | null> {
  await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${accountId} FOR UPDATE`;
  // Read after the lock: another process may have refreshed (or rotated the refresh token) meanwhile.
  return tx.account.findUnique({ where: { id: accountId } });
}

async function markNeedsReconnect(tx: Prisma.TransactionClient, row: Account, error: string): Promise<RefreshResult> {
  await tx.account.update({ where: { id: row.id }, data: { status: "needs_reconnect", version: { increment: 1 } } });
  const reason = `refresh refused: ${error}`;
  log.warn("account.marked_needs_reconnect", { provider: row.provider, accountId: row.id, userId: row.userId, reason });
  return failure("reconnect_required", reason);
}

async function storeRefreshedTokens(
  tx: Prisma.TransactionClient,
  row: Account,
  tokens: TokenResponseFields,
): Promise<RefreshResult> {
  const updated = await tx.account.update({
    where: { id: row.id },
    data: {
      ...sealTokenColumns(row, tokenColumns(tokens)),
      grantedScopes: unionScopes(row.grantedScopes, parseScopes(tokens.scope)),
      status: "active",
      refreshedAt: new Date(),
      version: { increment: 1 },
    },
  });
  const token = usableToken(updated);
  return token
    ? { ok: true, token }
    : refreshFailed(row, "provider_unavailable", "the provider issued an already expiring token");
}

/** How long a provider's answer is kept while the database is unreachable. */
const LOST_WRITE_RETRY_MS = 10_000;
const LOST_WRITE_RETRY_INTERVAL_MS = 200;

/**
 * Stores a provider's answer whose transaction died, once the database answers again. It is
 * stored only if the row still holds the refresh token that was spent (or already holds this
 * answer): anything else means a newer grant was written meanwhile, and that one wins.
 */
async function storeAnswerOfLostTransaction(
  accountId: string,
  provider: ConfiguredProvider,
  answer: ProviderAnswer,
  firstError: unknown,
): Promise<RefreshResult> {
  const deadline = Date.now() + LOST_WRITE_RETRY_MS;
  let lastError = firstError;
  while (Date.now() < deadline) {
    try {
      return await getDb().$transaction(async (tx): Promise<RefreshResult> => {
        const row = await lockAccountRow(tx, accountId);
        if (!row) return failure("not_linked", "the account was unlinked during the refresh");
        const storedRefreshToken = readableToken(row, "refresh_token", row.refresh_token);
        const stillOurs =
          storedRefreshToken === answer.spentRefreshToken || storedRefreshToken === answer.tokens.refresh_token;
        if (stillOurs) return storeRefreshedTokens(tx, row, answer.tokens);
        const newer = usableToken(row);
        return newer
          ? { ok: true, token: newer }
          : refreshFailed(row, "provider_unavailable", "a newer grant was stored during the refresh; try again");
      }, LOCK_WAIT_OPTIONS);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, LOST_WRITE_RETRY_INTERVAL_MS));
    }
  }
  const reason = `the provider's answer could not be stored within ${LOST_WRITE_RETRY_MS} ms: ${describeError(lastError)}`;
  return refreshFailed({ id: accountId, provider: provider.id }, "provider_unavailable", reason);
}
