import "server-only";
import { randomUUID } from "node:crypto";
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

/** How long a claimed refresh keeps others away: the provider's timeout plus a margin for our own writes. */
export const REFRESH_LEASE_MS = PROVIDER_TIMEOUT_MS + 2_000;

/** How long a caller waits for refreshes in other processes (and expired leases) before giving up. */
const WAIT_LIMIT_MS = 2 * REFRESH_LEASE_MS;

/** Polls of a leased row: the first after this, then each 1.5 times longer, up to the cap. */
const FIRST_POLL_MS = 4;
const MAX_POLL_MS = 100;

// The write after the provider's answer: a short transaction, so a lock wait is short too.
const WRITE_OPTIONS = { maxWait: 5_000, timeout: 5_000 };

const inFlight = new Map<string, Promise<RefreshResult>>();

/**
 * Gets a usable access token for one account, refreshing it if needed — at most one refresh per
 * account at a time across every process: callers in this process share one promise, and
 * processes claim a lease on the account row (compare-and-set on the database clock). The
 * holder calls the provider with no database connection held; the others poll the row until
 * the new token is written, the lease is released, or it expires.
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
  const refresh = refreshUnderLease(accountId, provider, options).finally(() => inFlight.delete(accountId));
  inFlight.set(accountId, refresh);
  return refresh;
}

/** A provider's answer to a refresh, with the refresh token it was given. */
type ProviderAnswer = { spentRefreshToken: string; tokens: TokenResponseFields };

/** What a look at the row decided: a result already, or a lease to refresh under, or someone else's lease. */
type Claim =
  | { kind: "settled"; result: RefreshResult }
  | { kind: "claimed"; row: Account; leaseId: string; refreshToken: string }
  | { kind: "leased"; version: number };

async function refreshUnderLease(
  accountId: string,
  provider: ConfiguredProvider,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  try {
    for (;;) {
      const claim = await claimRefresh(accountId, options);
      if (claim.kind === "settled") return claim.result;
      if (claim.kind === "claimed") return await refreshClaimed(claim, provider);
      const lease = await waitForLease(accountId, claim.version, deadline);
      if (lease === "released") {
        // Released without a new token: the refresh in flight failed (5xx, timeout, no network).
        // Its callers were told to try again, and so are these, rather than calling the provider again.
        return refreshFailed(
          { id: accountId, provider: provider.id },
          "provider_unavailable",
          "the refresh under way in another process failed",
        );
      }
      if (lease === "timed_out") {
        return refreshFailed(
          { id: accountId, provider: provider.id },
          "provider_unavailable",
          `another process kept refreshing this account for over ${WAIT_LIMIT_MS} ms`,
        );
      }
      // "changed" (a new token, or the account was marked or unlinked) or "expired" (its holder is
      // gone): look again, and claim it if still needed.
    }
  } catch (error) {
    return refreshFailed(
      { id: accountId, provider: provider.id },
      "provider_unavailable",
      `refresh could not complete: ${describeError(error)}`,
    );
  }
}

/**
 * Reads the row and, if a refresh is needed, claims it: one UPDATE that succeeds only while the
 * row is still the version read and no unexpired lease is on it. No transaction stays open.
 */
async function claimRefresh(accountId: string, options: RefreshOptions): Promise<Claim> {
  const db = getDb();
  const row = await db.account.findUnique({ where: { id: accountId } });
  const settled = (result: RefreshResult): Claim => ({ kind: "settled", result });
  if (!row) return settled(failure("not_linked", "the account was unlinked"));
  if (row.status === "needs_reconnect") {
    return settled(failure("reconnect_required", "the account needs to be reconnected"));
  }
  const usable = usableToken(row, options);
  if (usable) return settled({ ok: true, token: usable });

  const stored = tryOpenTokenColumn(row, "refresh_token", row.refresh_token);
  if (!stored.ok) {
    // Not marked: the operator may add the key back. Until then the user is asked to reconnect,
    // and the list shows needs_reconnect too (lib/connected-accounts/list.ts).
    const reason = `the stored refresh token cannot be read: ${stored.error.detail}`;
    return settled(refreshFailed(row, "reconnect_required", reason, stored.error.cause));
  }
  if (!stored.token) {
    const marked = await db.account.updateMany({
      where: { id: row.id, version: row.version },
      data: { status: "needs_reconnect", version: { increment: 1 } },
    });
    return marked.count === 1
      ? settled(noteNeedsReconnect(row, "no refresh token stored"))
      : { kind: "leased", version: row.version }; // changed meanwhile: look again
  }

  const leaseId = randomUUID();
  const claimed = await db.$executeRaw`
    UPDATE "Account"
    SET "refreshLeaseId" = ${leaseId}, "refreshLeaseUntil" = now() + make_interval(secs => ${REFRESH_LEASE_MS / 1000})
    WHERE id = ${row.id} AND version = ${row.version}
      AND ("refreshLeaseUntil" IS NULL OR "refreshLeaseUntil" < now())`;
  return claimed === 1
    ? { kind: "claimed", row, leaseId, refreshToken: stored.token }
    : { kind: "leased", version: row.version };
}

type LeaseOutcome = "changed" | "released" | "expired" | "timed_out";

/**
 * Polls the row, holding no connection between polls, until its tokens change (a new version),
 * its lease is released, or the lease expires on the database clock.
 */
async function waitForLease(accountId: string, version: number, deadline: number): Promise<LeaseOutcome> {
  let pause = FIRST_POLL_MS;
  for (;;) {
    const [row] = await getDb().$queryRaw<{ version: number; leased: boolean | null; held: boolean }[]>`
      SELECT version, "refreshLeaseUntil" >= now() AS leased, "refreshLeaseId" IS NOT NULL AS held
      FROM "Account" WHERE id = ${accountId}`;
    if (!row || row.version !== version) return "changed";
    if (!row.held) return "released";
    if (!row.leased) return "expired";
    if (Date.now() >= deadline) return "timed_out";
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(MAX_POLL_MS, pause * 1.5);
  }
}

/** The lease holder's part: the provider call with no connection held, then one short write. */
async function refreshClaimed(
  claim: Extract<Claim, { kind: "claimed" }>,
  provider: ConfiguredProvider,
): Promise<RefreshResult> {
  const { row, leaseId, refreshToken } = claim;
  const granted = await refreshGrant(provider, refreshToken);
  if (granted.ok) {
    return storeAnswer(row.id, provider, leaseId, { spentRefreshToken: refreshToken, tokens: granted.tokens });
  }
  if (granted.error.code === "invalid_grant") {
    return markSpentGrantNeedsReconnect(row, leaseId, refreshToken, granted.error.detail);
  }
  await releaseLease(row.id, leaseId);
  return refreshFailed(row, "provider_unavailable", granted.error.detail);
}

/** Clears our lease, tokens untouched. If this fails, the lease expires on its own. */
async function releaseLease(accountId: string, leaseId: string): Promise<void> {
  // Raw SQL, so that updatedAt stays too: nothing about the account changed.
  await getDb()
    .$executeRaw`UPDATE "Account" SET "refreshLeaseId" = NULL, "refreshLeaseUntil" = NULL WHERE id = ${accountId} AND "refreshLeaseId" = ${leaseId}`.catch(
    () => undefined,
  );
}

/** Lease columns cleared if the lease on `row` is still ours (a claim after its expiry is someone else's). */
function leaseRelease(row: Account, leaseId: string) {
  return row.refreshLeaseId === leaseId ? { refreshLeaseId: null, refreshLeaseUntil: null } : {};
}

/** Whether `row` still holds the refresh token a refresh spent (or the answer it got): nothing newer was stored. */
function stillHolds(row: Account, answer: { spentRefreshToken: string; newRefreshToken?: string }): boolean {
  const stored = readableToken(row, "refresh_token", row.refresh_token);
  return stored === answer.spentRefreshToken || (stored !== undefined && stored === answer.newRefreshToken);
}

/**
 * The provider refused the refresh token: the account needs a new consent, unless a newer grant
 * was stored meanwhile (the user signed in again), which wins.
 */
async function markSpentGrantNeedsReconnect(
  claimed: Account,
  leaseId: string,
  spentRefreshToken: string,
  error: string,
): Promise<RefreshResult> {
  return getDb().$transaction(async (tx): Promise<RefreshResult> => {
    const row = await lockAccountRow(tx, claimed.id);
    if (!row) return failure("not_linked", "the account was unlinked during the refresh");
    if (stillHolds(row, { spentRefreshToken })) {
      await tx.account.update({
        where: { id: row.id },
        data: { status: "needs_reconnect", version: { increment: 1 }, ...leaseRelease(row, leaseId) },
      });
      return noteNeedsReconnect(row, `refresh refused: ${error}`);
    }
    return newerGrant(tx, row, leaseId);
  }, WRITE_OPTIONS);
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

/** Logs an account marked needs_reconnect, and says so to the caller. */
function noteNeedsReconnect(row: Account, reason: string): RefreshResult {
  log.warn("account.marked_needs_reconnect", { provider: row.provider, accountId: row.id, userId: row.userId, reason });
  return failure("reconnect_required", reason);
}

/** A newer grant was stored during our refresh: it wins; our lease (if still ours) is released. */
async function newerGrant(tx: Prisma.TransactionClient, row: Account, leaseId: string): Promise<RefreshResult> {
  const release = leaseRelease(row, leaseId);
  if (Object.keys(release).length > 0) await tx.account.update({ where: { id: row.id }, data: release });
  const newer = usableToken(row);
  return newer
    ? { ok: true, token: newer }
    : refreshFailed(row, "provider_unavailable", "a newer grant was stored during the refresh; try again");
}

async function storeRefreshedTokens(
  tx: Prisma.TransactionClient,
  row: Account,
  tokens: TokenResponseFields,
  leaseId: string,
): Promise<RefreshResult> {
  const updated = await tx.account.update({
    where: { id: row.id },
    data: {
      ...sealTokenColumns(row, tokenColumns(tokens)),
      ...leaseRelease(row, leaseId),
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
 * Stores the provider's answer in one short transaction, retried while the database is
 * unreachable (a rotating provider has already spent the stored refresh token, so the answer is
 * worth keeping). It is stored only if the row still holds the refresh token that was spent (or
 * already holds this answer): anything else means a newer grant was written meanwhile, and that
 * one wins.
 */
async function storeAnswer(
  accountId: string,
  provider: ConfiguredProvider,
  leaseId: string,
  answer: ProviderAnswer,
): Promise<RefreshResult> {
  const deadline = Date.now() + LOST_WRITE_RETRY_MS;
  let lastError: unknown;
  do {
    try {
      return await getDb().$transaction(async (tx): Promise<RefreshResult> => {
        const row = await lockAccountRow(tx, accountId);
        if (!row) return failure("not_linked", "the account was unlinked during the refresh");
        const ours = {
          spentRefreshToken: answer.spentRefreshToken,
          newRefreshToken: answer.tokens.refresh_token ?? undefined,
        };
        if (stillHolds(row, ours)) return storeRefreshedTokens(tx, row, answer.tokens, leaseId);
        return newerGrant(tx, row, leaseId);
      }, WRITE_OPTIONS);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, LOST_WRITE_RETRY_INTERVAL_MS));
    }
  } while (Date.now() < deadline);
  const reason = `the provider's answer could not be stored within ${LOST_WRITE_RETRY_MS} ms: ${describeError(lastError)}`;
  return refreshFailed({ id: accountId, provider: provider.id }, "provider_unavailable", reason);
}
