import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma, type Account } from "@prisma/client";
import pLimit, { type LimitFunction } from "p-limit";
import { getDb } from "../db";
import { poolConfigFromUrl } from "../database-url";
import { getEnv } from "../env";
import { accountColumns, accountSet, type AccountWrite } from "./account-columns";
import type { EventCause } from "./event-types";
import { changeRowWithEvents, changeWithEvents, scopeChange, type NewConnectionEvent } from "./events";
import { describeError, failure, type Result } from "../result";
import { retrying } from "../retrying";
import { log } from "../log";
import { findProvider, PROVIDER_TIMEOUT_MS, providerRegistry, type ConfiguredProvider } from "../providers";
import { refreshGrant, type GrantEndReason } from "./provider-grants";
import { readableToken, sealTokenColumns, tryOpenTokenColumn } from "./sealed-tokens";
import { grantedScopesAfter, tokenColumns, type TokenResponseFields } from "./token-response";

/** A stored access token counts as usable only if it stays valid at least this long. */
export const EXPIRY_MARGIN_SECONDS = 60;

export type UsableToken = { accessToken: string; expiresAt: number | null; scopes: string[] };

/** `missing_scopes`: the provider wants the user to grant the app's access again (its grant end `consent_required`). */
export type RefreshResult = Result<
  { token: UsableToken },
  "not_linked" | "reconnect_required" | "missing_scopes" | "provider_unavailable"
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
  if (!isFreshEnough(row.expires_at)) return undefined;
  return { accessToken, expiresAt: row.expires_at, scopes: row.grantedScopes };
}

/** Whether a token expiring at `expiresAt` (seconds, null for never) stays valid long enough to use. */
function isFreshEnough(expiresAt: number | null): boolean {
  return expiresAt === null || expiresAt - Date.now() / 1000 > EXPIRY_MARGIN_SECONDS;
}

/** How long a claimed refresh keeps others away: the provider's timeout plus a margin for our own writes. */
export const REFRESH_LEASE_MS = PROVIDER_TIMEOUT_MS + 2_000;

/** The SET of a claim: a new lease, on the database clock. Requests and the sweep claim alike. */
export function takeLease(leaseId: string): Prisma.Sql {
  return Prisma.sql`"refreshLeaseId" = ${leaseId}, "refreshLeaseUntil" = now() + make_interval(secs => ${REFRESH_LEASE_MS / 1000})`;
}

/** No live lease on the row: none was taken, or its holder let it expire. */
export const NO_LIVE_LEASE = Prisma.sql`("refreshLeaseUntil" IS NULL OR "refreshLeaseUntil" < now())`;

/** How long a caller waits for a refresh in another process before giving up. */
const WAIT_LIMIT_MS = 2 * REFRESH_LEASE_MS;

/**
 * Polls of a leased row: each after an eighth of the time waited so far, within these bounds, so
 * a waiter learns of the new token at most an eighth late (plus the first pause).
 */
const MIN_POLL_MS = 4;
const MAX_POLL_MS = 100;

const inFlight = new Map<string, Promise<RefreshResult>>();

let refreshSlots: LimitFunction | undefined;

/**
 * Runs a refresh's database work (reading and claiming the row, storing the answer) once fewer
 * than a quarter of the connection pool's size of these run in this process. A burst of refreshes
 * (many tokens expiring at once, the sweep) then leaves most of the pool, and of the event loop, to
 * the requests arriving meanwhile: with all 25 refreshes of a process at once, an unrelated
 * session lookup's p99 was 2–3 times higher (`npm run bench:tokens`, slow_provider). Provider calls
 * are not limited: they hold no connection.
 */
function inRefreshSlot<T>(work: () => Promise<T>): Promise<T> {
  if (!refreshSlots) {
    const poolSize = poolConfigFromUrl(getEnv().DATABASE_URL).max ?? 1;
    refreshSlots = pLimit(Math.max(1, Math.floor(poolSize / 4)));
  }
  return refreshSlots(work);
}

/**
 * Gets a usable access token for one account, refreshing it if needed — at most one refresh per
 * account at a time across every process: callers in this process share one promise, and
 * processes claim a lease on the account row (compare-and-set on the database clock). The
 * holder calls the provider with no database connection held; the others poll the row until
 * the new token is written, the lease is released, or it expires.
 */
export function refreshAccessToken(
  row: Account,
  provider: ConfiguredProvider,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const running = inFlight.get(row.id);
  if (running) {
    // The refresh this caller joins was started for someone else, and may hand back (unrefreshed)
    // the very token the provider just refused this caller: then it needs a refresh of its own.
    return running.then((result) =>
      result.ok && result.token.accessToken === options.rejectedAccessToken
        ? refreshAccessToken(row, provider, options)
        : result,
    );
  }
  const refresh = refreshUnderLease(row, provider, options).finally(() => inFlight.delete(row.id));
  inFlight.set(row.id, refresh);
  return refresh;
}

/** A provider's answer to a refresh, with the refresh token it was given. */
type ProviderAnswer = { spentRefreshToken: string; tokens: TokenResponseFields };

/** What a look at the row decided: a result already, a lease to refresh under, or someone else's lease to wait out. */
type Look =
  | { kind: "settled"; result: RefreshResult }
  | { kind: "claimed"; row: Account; leaseId: string; refreshToken: string; accessTokenRejected: boolean }
  | { kind: "leased"; row: Account };

/**
 * `known` is the row as the caller just read it: the first look decides on it rather than reading
 * it again (the claim is a compare-and-set on its version either way), which saves a statement on
 * every refresh. Its lease is judged live on this process's clock, a hint only: the claim and every
 * later look go by the database's clock.
 */
async function refreshUnderLease(
  known: Account,
  provider: ConfiguredProvider,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const started = Date.now();
  const account = { id: known.id, provider: provider.id };
  // The version at which another process's lease was seen: the row unchanged but the lease gone
  // means that refresh failed (5xx, timeout, no network).
  let leasedAtVersion: number | undefined;
  let seen: LeasedRow | undefined = { ...known, leaseLive: (known.refreshLeaseUntil?.getTime() ?? 0) > Date.now() };
  try {
    for (;;) {
      const row = seen;
      seen = undefined;
      const look = await inRefreshSlot(() => lookAndClaim(known.id, options, leasedAtVersion, row));
      if (look.kind === "settled") return look.result;
      if (look.kind === "claimed") return await refreshClaimed(look, provider);
      leasedAtVersion = look.row.version;
      const waited = Date.now() - started;
      if (waited >= WAIT_LIMIT_MS) {
        const reason = `another process kept refreshing this account for over ${WAIT_LIMIT_MS} ms`;
        return refreshFailed(account, "provider_unavailable", reason);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, waited / 8))));
    }
  } catch (error) {
    return refreshFailed(account, "provider_unavailable", `refresh could not complete: ${describeError(error)}`);
  }
}

/** The account row, and whether a lease on it is live on the database clock. */
type LeasedRow = Account & { leaseLive: boolean };

/**
 * One raw statement rather than a Prisma query, because waiters repeat it every few milliseconds.
 * lib/connected-accounts/access-token.test.ts compares what it reads with Prisma's read.
 */
export async function readLeasedRow(accountId: string): Promise<LeasedRow | undefined> {
  const [row] = await getDb().$queryRaw<LeasedRow[]>`
    SELECT ${accountColumns()}, coalesce("refreshLeaseUntil" >= now(), false) AS "leaseLive" FROM "Account" WHERE id = ${accountId}`;
  return row;
}

/**
 * Reads the row (unless `seen` is it) and settles what it can. If a refresh is needed and no live
 * lease is on the row, claims one: an UPDATE that succeeds only while the row is still the version
 * read and no live lease is on it (on the database clock). No transaction stays open.
 */
async function lookAndClaim(
  accountId: string,
  options: RefreshOptions,
  leasedAtVersion?: number,
  seen?: LeasedRow,
): Promise<Look> {
  const row = seen ?? (await readLeasedRow(accountId));
  const settled = (result: RefreshResult): Look => ({ kind: "settled", result });
  if (!row) return settled(failure("not_linked", "the account was unlinked"));
  if (row.status === "needs_reconnect") {
    return settled(failure("reconnect_required", "the account needs to be reconnected"));
  }
  const usable = usableToken(row, options);
  if (usable) return settled({ ok: true, token: usable });
  if (row.leaseLive) return { kind: "leased", row };
  if (row.version === leasedAtVersion && row.refreshLeaseId === null) {
    // Its callers were told to try again, and so are these, rather than calling the provider again.
    return settled(refreshFailed(row, "provider_unavailable", "the refresh under way in another process failed"));
  }

  const stored = tryOpenTokenColumn(row, "refresh_token", row.refresh_token);
  if (!stored.ok) {
    // Not marked: the operator may add the key back. Until then the user is asked to reconnect,
    // and the list shows needs_reconnect too (lib/connected-accounts/list.ts).
    const reason = `the stored refresh token cannot be read: ${stored.error.detail}`;
    // A replaced key is anticipated (one line); a token the listed key does not open keeps its cause.
    const cause = stored.error.reason === "key_not_listed" ? undefined : stored.error.cause;
    return settled(refreshFailed(row, "reconnect_required", reason, cause));
  }
  if (!stored.token) {
    const reason = "no refresh token stored";
    const marked = await changeWithEvents(async (tx, record) => {
      const written = await tx.account.updateMany({
        where: { id: row.id, version: row.version },
        data: { status: "needs_reconnect", version: { increment: 1 } },
      });
      if (written.count === 1)
        record(accountEvent(row, "connected_account.needs_reconnect", reason, "no_refresh_token"));
      return written.count === 1;
    });
    return marked ? settled(noteNeedsReconnect(row, reason)) : lookAndClaim(accountId, options, leasedAtVersion); // changed meanwhile: look again
  }

  const leaseId = randomUUID();
  const claimed = await getDb().$executeRaw`
    UPDATE "Account"
    SET ${takeLease(leaseId)}
    WHERE id = ${row.id} AND version = ${row.version} AND ${NO_LIVE_LEASE}`;
  if (claimed === 0) return { kind: "leased", row };
  return {
    kind: "claimed",
    row: { ...row, refreshLeaseId: leaseId },
    leaseId,
    refreshToken: stored.token,
    accessTokenRejected: options.rejectedAccessToken !== undefined,
  };
}

/**
 * Refreshes an account whose lease the caller claimed itself (the sweep claims them in batches,
 * lib/connected-accounts/sweep.ts). `row` is the row as claimed, lease included.
 */
export async function refreshClaimedAccount(row: Account, provider: ConfiguredProvider): Promise<RefreshResult> {
  const leaseId = row.refreshLeaseId ?? "";
  try {
    const stored = tryOpenTokenColumn(row, "refresh_token", row.refresh_token);
    if (!stored.ok || !stored.token) {
      const reason = stored.ok
        ? "no refresh token stored"
        : `the stored refresh token cannot be read: ${stored.error.detail}`;
      await releaseAfterFailure(row, leaseId, reason, stored.ok ? "no_refresh_token" : "unreadable");
      return refreshFailed(row, "reconnect_required", reason);
    }
    const claim = { kind: "claimed", row, leaseId, refreshToken: stored.token, accessTokenRejected: false } as const;
    return await refreshClaimed(claim, provider);
  } catch (error) {
    return refreshFailed(row, "provider_unavailable", `refresh could not complete: ${describeError(error)}`);
  }
}

/** The lease holder's part: the provider call with no connection held, then one short write. */
async function refreshClaimed(claim: Extract<Look, { kind: "claimed" }>, provider: ConfiguredProvider) {
  const { row, leaseId, refreshToken } = claim;
  const granted = await refreshGrant(provider, refreshToken);
  if (granted.ok) {
    return storeAnswer(row, provider, leaseId, { spentRefreshToken: refreshToken, tokens: granted.tokens });
  }
  if (granted.error.code === "invalid_grant") {
    // Rejected, then refused as expired or revoked (not for re-authentication or an admin's block): revoked.
    const revoked = claim.accessTokenRejected && granted.error.grantEnd?.reason === "expired_or_revoked";
    const end = granted.error.grantEnd?.reason ?? "expired_or_revoked";
    return inRefreshSlot(() =>
      markSpentGrantNeedsReconnect(row, leaseId, refreshToken, granted.error.detail, end, revoked),
    );
  }
  await inRefreshSlot(() => releaseAfterFailure(row, leaseId, granted.error.detail, granted.error.unavailable));
  return refreshFailed(row, "provider_unavailable", granted.error.detail);
}

/** An event about `row`'s account. */
function accountEvent(
  row: Account,
  type: NewConnectionEvent["type"],
  reason?: string,
  cause?: EventCause,
): NewConnectionEvent {
  const event = { type, userId: row.userId, accountId: row.id, provider: row.provider, reason };
  return cause ? { ...event, detail: { cause } } : event;
}

/** Clears our lease, tokens untouched. If this fails, the lease expires on its own. */
async function releaseLease(accountId: string, leaseId: string): Promise<void> {
  // Raw SQL, so that updatedAt and version stay too: nothing about the account changed.
  await getDb()
    .$executeRaw`UPDATE "Account" SET "refreshLeaseId" = NULL, "refreshLeaseUntil" = NULL WHERE id = ${accountId} AND "refreshLeaseId" = ${leaseId}`.catch(
    () => undefined,
  );
}

/**
 * A refresh that failed with the grant intact (the provider answered 5xx or not at all, or the
 * refresh token cannot be read today): our lease cleared, the failure counted and recorded, the
 * tokens untouched. If the database is unreachable the lease expires on its own, unrecorded.
 */
async function releaseAfterFailure(row: Account, leaseId: string, reason: string, cause?: EventCause): Promise<void> {
  await changeWithEvents(async (tx, record) => {
    // Raw SQL, so that updatedAt and version stay: the grant did not change.
    await tx.$executeRaw`
      UPDATE "Account" SET "refreshFailures" = "refreshFailures" + 1,
        "refreshLeaseId" = CASE WHEN "refreshLeaseId" = ${leaseId} THEN NULL ELSE "refreshLeaseId" END,
        "refreshLeaseUntil" = CASE WHEN "refreshLeaseId" = ${leaseId} THEN NULL ELSE "refreshLeaseUntil" END
      WHERE id = ${row.id}`;
    record(accountEvent(row, "connected_account.refresh_failed", reason, cause));
  }).catch((error: unknown) => {
    log.warn("token.refresh_failure_not_recorded", {
      provider: row.provider,
      accountId: row.id,
      reason: describeError(error),
    });
  });
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
 * What to make of the row as it is now: a write, the events it makes, and then a result; or a
 * result with no write.
 */
type Decision =
  | {
      write: AccountWrite;
      events: NewConnectionEvent[];
      /** Stamp refreshedAt, on the database's clock: the sweep compares it with that clock. */
      refreshed?: true;
      then: () => RefreshResult;
    }
  | { write?: undefined; then: () => Promise<RefreshResult> | RefreshResult };

/**
 * Writes what `decide` makes of the row, with its events, if the row is still as read:
 * compare-and-set on its version (which every write of tokens or status moves on) and its lease
 * (a claim leaves the version as it is). Otherwise reads it again and decides again.
 *
 * The write and its events are one raw statement rather than Prisma's interactive transaction of
 * five (BEGIN, the update, refreshedAt, the events, COMMIT): every refresh makes this write, and
 * each of those statements costs the main thread time (docs/tokens.md#refresh).
 */
async function writeIfUnchanged(claimed: Account, decide: (row: Account) => Decision): Promise<RefreshResult> {
  const db = getDb();
  for (let row: Account | null = claimed; row; row = await db.account.findUnique({ where: { id: claimed.id } })) {
    if (row.status === "needs_reconnect") {
      // Marked during our refresh (a provider's revocation notice, say): the mark wins over our answer.
      if (row.refreshLeaseId === claimed.refreshLeaseId) await releaseLease(row.id, row.refreshLeaseId ?? "");
      return failure("reconnect_required", "the account was marked needs_reconnect during the refresh");
    }
    const decision = decide(row);
    if (!decision.write) return decision.then();
    const refreshedAt = decision.refreshed ? Prisma.sql`, "refreshedAt" = now() AT TIME ZONE 'UTC'` : Prisma.empty;
    const written = await changeRowWithEvents(
      Prisma.sql`
        UPDATE "Account" SET ${accountSet(decision.write)} ${refreshedAt}
        WHERE id = ${row.id} AND version = ${row.version} AND "refreshLeaseId" IS NOT DISTINCT FROM ${row.refreshLeaseId}
        RETURNING id`,
      decision.events,
    );
    if (written) return decision.then();
  }
  return failure("not_linked", "the account was unlinked during the refresh");
}

/**
 * The provider refused the refresh token: the account needs a new consent, unless a newer grant
 * was stored meanwhile (the user signed in again), which wins. `revokedAtProvider`: the provider
 * had also just rejected the access token, so the grant was revoked there (by the user or by it).
 */
function markSpentGrantNeedsReconnect(
  claimed: Account,
  leaseId: string,
  spentRefreshToken: string,
  error: string,
  end: GrantEndReason,
  revokedAtProvider: boolean,
): Promise<RefreshResult> {
  const unused = unusedFor(claimed);
  const reason = `refresh refused: ${error}${unused}`;
  // Only the plain "expired or revoked" says less than "unused" does.
  const cause: EventCause = unused && (end === "expired_or_revoked" || end === "client_unauthorized") ? "unused" : end;
  return writeIfUnchanged(claimed, (row) =>
    stillHolds(row, { spentRefreshToken })
      ? {
          write: { status: "needs_reconnect", ...leaseRelease(row, leaseId) },
          events: [
            ...(revokedAtProvider
              ? [
                  accountEvent(
                    row,
                    "connected_account.revoked",
                    "the provider rejected the access token and refused the refresh token",
                    "revoked_at_provider",
                  ),
                ]
              : []),
            accountEvent(row, "connected_account.needs_reconnect", reason, cause),
          ],
          then: () => noteNeedsReconnect(row, reason, end),
        }
      : { then: () => newerGrant(row, leaseId) },
  );
}

/**
 * "; unused for N days" when the provider ends grants unused for a while (its `unusedGrantDays`:
 * it says only "expired or revoked" then) and our record shows the grant was not renewed or
 * changed for that long (updatedAt moves with every refresh and consent), so the user can be told
 * why it ended.
 */
function unusedFor(row: Account): string {
  const unusedGrantDays = findProvider(providerRegistry, row.provider)?.unusedGrantDays;
  if (unusedGrantDays === undefined) return "";
  const days = Math.floor((Date.now() - row.updatedAt.getTime()) / (24 * 60 * 60 * 1000));
  return days >= unusedGrantDays ? `; unused for ${days} days` : "";
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

/** Logs an account marked needs_reconnect, and says so to the caller: Grant access when consent is what is missing. */
function noteNeedsReconnect(row: Account, reason: string, end?: GrantEndReason): RefreshResult {
  log.warn("account.marked_needs_reconnect", { provider: row.provider, accountId: row.id, userId: row.userId, reason });
  return failure(end === "consent_required" ? "missing_scopes" : "reconnect_required", reason);
}

/** A newer grant was stored during our refresh: it wins; our lease (if still ours) is released. */
async function newerGrant(row: Account, leaseId: string): Promise<RefreshResult> {
  if (row.refreshLeaseId === leaseId) await releaseLease(row.id, leaseId);
  const newer = usableToken(row);
  return newer
    ? { ok: true, token: newer }
    : refreshFailed(row, "provider_unavailable", "a newer grant was stored during the refresh; try again");
}

/** How long a provider's answer is kept while the database is unreachable. */
const LOST_WRITE_RETRY_MS = 10_000;
const LOST_WRITE_RETRY_INTERVAL_MS = 200;

/**
 * Stores the provider's answer, retried while the database is unreachable (a rotating provider
 * has already spent the stored refresh token, so the answer is worth keeping). It is stored only
 * if the row still holds the refresh token that was spent (or already holds this answer):
 * anything else means a newer grant was written meanwhile, and that one wins.
 */
async function storeAnswer(
  claimed: Account,
  provider: ConfiguredProvider,
  leaseId: string,
  answer: ProviderAnswer,
): Promise<RefreshResult> {
  const columns = tokenColumns(answer.tokens);
  const ours = {
    spentRefreshToken: answer.spentRefreshToken,
    newRefreshToken: answer.tokens.refresh_token ?? undefined,
  };
  const decide = (row: Account): Decision => {
    if (!stillHolds(row, ours)) return { then: () => newerGrant(row, leaseId) };
    const scopes = grantedScopesAfter(provider, row.grantedScopes, answer.tokens, "refresh");
    const change = scopeChange(row.grantedScopes, scopes);
    return {
      events: [
        accountEvent(row, "connected_account.refreshed"),
        ...(change ? [{ ...accountEvent(row, "connected_account.scopes_changed", "refresh"), detail: change }] : []),
        ...(row.refreshFailures > 0
          ? [accountEvent(row, "connected_account.recovered", `refreshed after ${row.refreshFailures} failed attempts`)]
          : []),
      ],
      write: {
        ...sealTokenColumns(row, columns),
        ...leaseRelease(row, leaseId),
        grantedScopes: scopes,
        status: "active",
        refreshFailures: 0,
        sweepRetryAt: null,
      },
      refreshed: true,
      then: () => {
        const { access_token: accessToken, expires_at: expiresAt = null } = columns;
        return accessToken && isFreshEnough(expiresAt)
          ? { ok: true, token: { accessToken, expiresAt, scopes } }
          : refreshFailed(row, "provider_unavailable", "the provider issued no usable access token");
      },
    };
  };
  const stored = await retrying(
    // A slot per attempt, not for the whole retry: a database outage must not hold back the others' looks.
    (triesBefore) =>
      inRefreshSlot(async (): Promise<RefreshResult> => {
        // After a failed attempt the row is read again: that write may have landed after all.
        const row = triesBefore === 0 ? claimed : await getDb().account.findUnique({ where: { id: claimed.id } });
        if (!row) return failure("not_linked", "the account was unlinked during the refresh");
        return writeIfUnchanged(row, decide);
      }),
    { forMs: LOST_WRITE_RETRY_MS, intervalMs: LOST_WRITE_RETRY_INTERVAL_MS },
  );
  if (stored.ok) return stored.value;
  const reason = `the provider's answer could not be stored within ${LOST_WRITE_RETRY_MS} ms: ${describeError(stored.lastError)}`;
  return refreshFailed({ id: claimed.id, provider: provider.id }, "provider_unavailable", reason);
}
