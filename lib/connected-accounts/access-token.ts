import "server-only";
import type { Account } from "@prisma/client";
import { getDb } from "../db";
import { log } from "../log";
import { describeError, failure, type Failure, type Result } from "../result";
import { awaitingDiscovery, findProvider, getConfiguredProviders, grantIncludes, type ProviderId } from "../providers";
import { accountColumns } from "./account-columns";
import { connectUrl } from "./connect-url";
import { refreshAccessToken, usableToken } from "./refresh";

export type AccessTokenErrorCode = "not_linked" | "missing_scopes" | "reconnect_required" | "provider_unavailable";

/** How the user can fix a failure: where to send them (link, reconnect, grant more scopes). */
export type AccessTokenFix = { missingScopes?: string[]; reconnectUrl?: string };

/** Show users `connectedAccountErrorText(code)` (lib/words); `detail` is for logs. */
export type AccessTokenError = Failure<AccessTokenErrorCode, AccessTokenFix>;

export type AccessToken = {
  accessToken: string;
  expiresAt: Date | null;
  scopes: string[];
  accountId: string;
  providerAccountId: string;
  /** The account's profile as the card shows it (no secret): for the token endpoint's label. */
  email: string | null;
  displayName: string | null;
  avatarUrl: string | null;
};

export type AccessTokenResult = Result<AccessToken, AccessTokenErrorCode, AccessTokenFix>;

export type AccessTokenRequest = {
  provider: ProviderId;
  /** Which of several linked accounts of this provider; the oldest one when omitted. */
  providerAccountId?: string;
  /** Scopes the caller needs; the result is `missing_scopes` if the grant lacks any. */
  scopes?: readonly string[];
  /**
   * What the token is for, in a word the user knows ("Drive", "Calendar"): the Connected accounts
   * page shows it as what last used the account.
   */
  feature?: string;
  /** A token the provider just answered 401 to: get a new one even if it looks valid. */
  rejectedAccessToken?: string;
};

/**
 * A valid access token for the user's linked account, or a typed reason why there is none.
 * Never throws for these cases; refreshes at most once per account across processes.
 */
export async function getAccessToken(userId: string, request: AccessTokenRequest): Promise<AccessTokenResult> {
  const issued = await issueAccessToken(userId, request);
  if (!issued.ok) return issued;
  const { noteUse, ...token } = issued;
  await noteUse();
  return token;
}

/**
 * getAccessToken, with the noting of the use (what the sweep keeps fresh, and the card shows) left
 * to the caller: fetchAs notes it only once the provider answered, as a call it refused is no use.
 * `noteUse` knows when the account's use was last noted, so a use within the minute costs nothing.
 */
export async function issueAccessToken(
  userId: string,
  request: AccessTokenRequest,
): Promise<Result<AccessToken & { noteUse: () => Promise<void> }, AccessTokenErrorCode, AccessTokenFix>> {
  const { provider: providerId, providerAccountId, scopes = [], rejectedAccessToken, feature = null } = request;
  const provider = findProvider(getConfiguredProviders(), providerId);
  const fix = (extraScopes: readonly string[] = scopes) => connectUrl(providerId, extraScopes);
  if (!provider) {
    // An issuer that is down is no reason to tell the user to link the account again.
    const waiting = awaitingDiscovery(providerId);
    if (waiting) return failure("provider_unavailable", waiting);
    return failure("not_linked", `provider ${providerId} is not configured`);
  }

  const grantsEverything = (row: Account | null) =>
    row?.status === "active" && scopes.every((scope) => grantIncludes(provider, row.grantedScopes, scope));
  const row = await findAccountRow({ userId, provider: providerId, providerAccountId }, grantsEverything);
  if (!row) {
    return failure("not_linked", `no ${providerId} account linked`, { reconnectUrl: fix() });
  }
  if (row.status === "needs_reconnect") {
    return failure("reconnect_required", "the grant was revoked or expired", { reconnectUrl: fix() });
  }
  const missingScopes = scopes.filter((scope) => !grantIncludes(provider, row.grantedScopes, scope));
  if (missingScopes.length > 0) {
    return failure("missing_scopes", `not granted: ${missingScopes.join(" ")}`, {
      missingScopes,
      reconnectUrl: fix(missingScopes),
    });
  }

  const token = usableToken(row, { rejectedAccessToken });
  const result = token
    ? { ok: true as const, token }
    : await refreshAccessToken(row, provider, { rejectedAccessToken });
  if (!result.ok) {
    const { code, detail } = result.error;
    if (code === "provider_unavailable") return failure(code, detail);
    // The provider wants consent again (Grant access): the scopes asked for are what it lacks.
    return failure(
      code,
      detail,
      code === "missing_scopes" ? { missingScopes: [...scopes], reconnectUrl: fix() } : { reconnectUrl: fix() },
    );
  }
  return {
    ok: true,
    noteUse: () => noteAccountUse(row, feature),
    accessToken: result.token.accessToken,
    expiresAt: result.token.expiresAt === null ? null : new Date(result.token.expiresAt * 1000),
    scopes: result.token.scopes,
    accountId: row.id,
    providerAccountId: row.providerAccountId,
    email: row.email,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl,
  };
}

type AccountKey = { userId: string; provider: ProviderId; providerAccountId?: string | null };

const readsInFlight = new Map<string, Promise<Account | null>>();

/**
 * The account row a request names. Concurrent calls in this process for the same account share
 * one query: a page whose panels ask at once, or a storm of 50 callers, costs one read, not 50.
 * A shared read may have started just before this call, so a row that would not
 * serve the caller (`serves` false: unlinked, marked, missing a scope) is read again, alone, before
 * the caller is told no: a grant stored a moment ago is never reported missing.
 */
async function findAccountRow(key: AccountKey, serves: (row: Account | null) => boolean): Promise<Account | null> {
  const readKey = JSON.stringify([key.userId, key.provider, key.providerAccountId ?? null]);
  const running = readsInFlight.get(readKey);
  if (running) {
    const row = await running;
    return serves(row) ? row : readAccountRow(key);
  }
  const read = readAccountRow(key).finally(() => readsInFlight.delete(readKey));
  readsInFlight.set(readKey, read);
  return read;
}

/**
 * The oldest matching account, in one raw statement: Prisma 6 compiles every model query anew (about
 * 1 ms of the main thread here), which doubled the cost of a call with a valid token.
 */
async function readAccountRow({ userId, provider, providerAccountId = null }: AccountKey): Promise<Account | null> {
  const [row] = await getDb().$queryRaw<Account[]>`
    SELECT ${accountColumns()} FROM "Account"
    WHERE "userId" = ${userId} AND provider = ${provider}
      AND (${providerAccountId}::text IS NULL OR "providerAccountId" = ${providerAccountId})
    ORDER BY "createdAt" LIMIT 1`;
  return row ?? null;
}

/** lastUsedAt is written at most this often per account: the sweep needs to know what is in use, not every use. */
const USE_NOTE_INTERVAL_MS = 60_000;

const notingUse = new Set<string>();

/** Notes that `row`'s account was used, and for what ("Drive"), unless a use was noted less than a minute ago. */
async function noteAccountUse(
  row: Pick<Account, "id" | "provider" | "lastUsedAt">,
  feature: string | null,
): Promise<void> {
  // lastUsedAt is on the database's clock, whose condition below decides. This clock only saves the
  // statement when it too reads the note as recent; off by more than the interval, it never skips.
  const sinceNoted = row.lastUsedAt ? Date.now() - row.lastUsedAt.getTime() : Infinity;
  if (sinceNoted >= 0 && sinceNoted < USE_NOTE_INTERVAL_MS) return;
  if (notingUse.has(row.id)) return; // a concurrent caller in this process is writing it
  notingUse.add(row.id);
  try {
    await getDb().$executeRaw`
      UPDATE "Account" SET "lastUsedAt" = now(), "lastUsedFeature" = ${feature}
      WHERE id = ${row.id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - make_interval(secs => ${USE_NOTE_INTERVAL_MS / 1000}))`;
  } catch (error) {
    // The token is good; only the sweep's view of what is in use is a minute late.
    log.warn("token.use_not_noted", { provider: row.provider, accountId: row.id, reason: describeError(error) });
  } finally {
    notingUse.delete(row.id);
  }
}
