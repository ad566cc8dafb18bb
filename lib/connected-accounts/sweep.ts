import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma, type Account } from "@prisma/client";
import { workThroughClaims } from "../claimed-work";
import { getDb } from "../db";
import { log } from "../log";
import { findProvider, getConfiguredProviders } from "../providers";
import { describeError } from "../result";
import { accountColumns } from "./account-columns";
import { NO_LIVE_LEASE, refreshClaimedAccount, takeLease } from "./refresh";

/** An account whose token was handed out this recently is in use: its token is renewed before it expires. */
export const RECENT_USE_DAYS = 14;

/**
 * A grant not refreshed for this long is refreshed anyway, whether in use or not: Google ends
 * refresh tokens unused for 6 months, and a GitHub App's refresh token lasts 6 months (each
 * refresh brings a new one).
 */
export const KEEP_ALIVE_DAYS = 30;

/** Refreshes in flight at once in one sweeper. The provider call holds no database connection. */
const DEFAULT_CONCURRENCY = 20;

export type SweepOptions = {
  /** Tokens of accounts in use that expire within this many seconds are renewed now. */
  marginSeconds: number;
  /** No account is claimed after this time (ms since the epoch); refreshes under way finish. */
  deadline?: number;
  concurrency?: number;
};

export type SweepReport = {
  /** Accounts this sweeper claimed: each is in exactly one of the counts below. */
  claimed: number;
  refreshed: number;
  /** The provider failed (5xx, timeout, unreachable): tried again after the backoff. */
  failed: number;
  /** The provider refused the grant, or it cannot be read: the user has to reconnect (or unlinked it meanwhile). */
  reconnect: number;
};

/**
 * Refreshes every account that is due now, until none is left (or the deadline). Due: active,
 * with a refresh token, not held back by a recent failure, and either in use with a token
 * expiring within the margin, or not refreshed for KEEP_ALIVE_DAYS.
 *
 * Any number of sweepers may run at once: each claims accounts in batches by setting the refresh
 * lease (FOR UPDATE SKIP LOCKED, so they never wait on each other or claim the same account),
 * and a refresh needs that lease. A sweeper that dies leaves its claims until the lease expires.
 */
export async function sweepDueAccounts(options: SweepOptions): Promise<SweepReport> {
  const { marginSeconds, deadline = Number.POSITIVE_INFINITY, concurrency = DEFAULT_CONCURRENCY } = options;
  const report: SweepReport = { claimed: 0, refreshed: 0, failed: 0, reconnect: 0 };
  report.claimed = await workThroughClaims({
    concurrency,
    deadline,
    claim: (limit) => claimDueAccounts(limit, marginSeconds),
    work: (row) => sweepAccount(row, report),
  });
  return report;
}

/**
 * Claims up to `limit` due accounts, the most urgent first: tokens of accounts in use that expire
 * within the margin (found through the index on lastUsedAt), then grants idle past the keep-alive
 * (a scan of the table, so only when the first kind has run out).
 */
async function claimDueAccounts(limit: number, marginSeconds: number): Promise<Account[]> {
  // expires_at is the one time on the app's clock: Auth.js writes it, and getAccessToken judges it
  // fresh by that clock, so it is compared with this one, not the database's.
  const nowSeconds = Math.floor(Date.now() / 1000);
  const expiringInUse = Prisma.sql`"lastUsedAt" > now() - make_interval(days => ${RECENT_USE_DAYS})
    AND expires_at < ${nowSeconds}::int + ${marginSeconds}::int`;
  // refreshedAt and createdAt are UTC timestamps without a time zone.
  const idle = Prisma.sql`coalesce("refreshedAt", "createdAt") < (now() AT TIME ZONE 'UTC') - make_interval(days => ${KEEP_ALIVE_DAYS})`;
  const claimed = await claimAccounts(limit, expiringInUse, Prisma.sql`expires_at`);
  if (claimed.length === limit) return claimed;
  return [
    ...claimed,
    ...(await claimAccounts(limit - claimed.length, idle, Prisma.sql`coalesce("refreshedAt", "createdAt")`)),
  ];
}

/**
 * Claims up to `limit` accounts that meet `due`, in `order`, in one statement, and returns them as
 * claimed (lease set). Rows another sweeper is claiming at this moment are skipped, not waited for.
 */
async function claimAccounts(limit: number, due: Prisma.Sql, order: Prisma.Sql): Promise<Account[]> {
  const providers = getConfiguredProviders().map((provider) => provider.id);
  const leaseId = randomUUID();
  return getDb().$queryRaw<Account[]>`
    UPDATE "Account" AS claimed
    SET ${takeLease(leaseId)}
    FROM (
      SELECT id FROM "Account"
      WHERE ${due}
        AND status = 'active' AND refresh_token IS NOT NULL AND provider = ANY(${providers})
        AND ${NO_LIVE_LEASE}
        AND ("sweepRetryAt" IS NULL OR "sweepRetryAt" <= now())
      ORDER BY ${order}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE claimed.id = due.id
    RETURNING ${accountColumns("claimed")}`;
}

async function sweepAccount(row: Account, report: SweepReport): Promise<void> {
  // claimDueAccounts only claims accounts of configured providers.
  const provider = findProvider(getConfiguredProviders(), row.provider)!;
  const result = await refreshClaimedAccount(row, provider);
  if (result.ok) {
    report.refreshed += 1;
    return;
  }
  if (result.error.code === "provider_unavailable") report.failed += 1;
  else report.reconnect += 1;
  await holdBack(row);
}

/**
 * After a failed background refresh the sweep leaves the account alone for 1 minute × 2^(n−1)
 * after the n-th failed refresh in a row, by the sweep or by requests (1, 2, 4 … minutes), at
 * most 6 hours. A success (by the sweep
 * or by a request) resets it. Requests are never held back: they refresh when they need to.
 */
async function holdBack(row: Account): Promise<void> {
  try {
    await getDb().$executeRaw`
      UPDATE "Account"
      SET "sweepRetryAt" = now() + least(make_interval(mins => 1) * power(2, greatest("refreshFailures", 1) - 1), interval '6 hours')
      WHERE id = ${row.id}`;
  } catch (error) {
    // The next sweep may try it again sooner: no harm beyond one more provider call.
    log.warn("sweep.hold_back_failed", { provider: row.provider, accountId: row.id, reason: describeError(error) });
  }
}
