import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { getDb } from "../../../db";
import { log } from "../../../log";
import { signOutEverywhere } from "../../../auth/sessions";
import { type RecordEvent, markRevoked, readableToken } from "../../../connected-accounts";

const RISC = "https://schemas.openid.net/secevent/risc/event-type/";
export const RISC_EVENT_TYPES = {
  tokenRevoked: "https://schemas.openid.net/secevent/oauth/event-type/token-revoked",
  tokensRevoked: `${RISC}tokens-revoked`,
  sessionsRevoked: `${RISC}sessions-revoked`,
  accountDisabled: `${RISC}account-disabled`,
  accountEnabled: `${RISC}account-enabled`,
  accountPurged: `${RISC}account-purged`,
  credentialChangeRequired: `${RISC}account-credential-change-required`,
  verification: `${RISC}verification`,
} as const;

/** A refresh-token prefix shorter than this could name many tokens: such an event changes nothing. */
const MIN_PREFIX_LENGTH = 16;
const SCAN_BATCH = 500;

type AccountRow = { id: string; userId: string; provider: string; providerAccountId: string; status: string };

/** What one event asks for, once its accounts are found: applied in the transaction that notes the jti. */
export type PlannedChange = (tx: Prisma.TransactionClient, record: RecordEvent) => Promise<void>;

/**
 * Reads one event of a verified token and finds the accounts it is about (outside the
 * transaction: finding a refresh token means opening every stored Google refresh token). Returns
 * the change to make, or undefined for an event that changes nothing here.
 */
export async function planEvent(
  type: string,
  event: Record<string, unknown>,
  issuers: readonly string[],
): Promise<PlannedChange | undefined> {
  const subject = (event.subject ?? {}) as Record<string, unknown>;
  if (type === RISC_EVENT_TYPES.tokenRevoked) {
    const accounts = await accountsWithRefreshToken(subject);
    return (tx, record) =>
      markRevoked(
        tx,
        record,
        accounts,
        "revoked_at_provider",
        "Google says the refresh token was revoked",
        "revoked at Google",
      ).then(() => undefined);
  }
  if (type === RISC_EVENT_TYPES.verification) {
    log.info("risc.verification_received", { reason: typeof event.state === "string" ? event.state : undefined });
    return undefined;
  }
  const sub = subjectOf(subject, issuers);
  if (!sub) {
    log.warn("risc.event_ignored", { provider: "google", reason: `no Google subject in ${type}` });
    return undefined;
  }
  const accounts = await googleAccounts(sub);
  const userIds = [...new Set(accounts.map((account) => account.userId))];
  const reason = typeof event.reason === "string" ? event.reason : undefined;
  switch (type) {
    case RISC_EVENT_TYPES.tokensRevoked:
      return async (tx, record) => {
        await markRevoked(
          tx,
          record,
          accounts,
          "revoked_at_provider",
          "Google says every token of the account was revoked",
          "revoked at Google",
        );
      };
    case RISC_EVENT_TYPES.sessionsRevoked:
      return async (tx) => {
        for (const userId of userIds) await signOutEverywhere(tx, userId, "Google revoked the account's sessions");
      };
    case RISC_EVENT_TYPES.accountDisabled:
      return async (tx, record) => {
        const words = `Google disabled the account${reason ? ` (${reason})` : ""}`;
        // A hijacked Google account may have been used to sign in here: end every session too.
        if (reason === "hijacking") for (const userId of userIds) await signOutEverywhere(tx, userId, words);
        await markRevoked(tx, record, accounts, "account_disabled", words);
      };
    case RISC_EVENT_TYPES.accountPurged:
      return async (tx, record) => {
        await markRevoked(tx, record, accounts, "account_deleted", "Google deleted the account");
      };
    default:
      // account-enabled (the user reconnects on their own), credential-change-required, unknown types.
      log.info("risc.event_noted", { provider: "google", reason: type.replace(RISC, "") });
      return undefined;
  }
}

/** The Google `sub` of an `iss-sub` (or `id_token_claims`) subject from one of `issuers`. */
function subjectOf(subject: Record<string, unknown>, issuers: readonly string[]): string | undefined {
  if (subject.subject_type !== "iss-sub" && subject.subject_type !== "id_token_claims") return undefined;
  const { iss, sub } = subject;
  if (typeof sub !== "string" || sub === "") return undefined;
  const normalize = (value: string) => value.replace(/\/+$/, "");
  if (typeof iss === "string" && !issuers.map(normalize).includes(normalize(iss))) return undefined;
  return sub;
}

function googleAccounts(sub: string): Promise<AccountRow[]> {
  return getDb().account.findMany({
    where: { provider: "google", providerAccountId: sub },
    select: { id: true, userId: true, provider: true, providerAccountId: true, status: true },
  });
}

/**
 * The Google accounts whose stored refresh token is the one named by a token-revoked subject:
 * `token_identifier_alg` "prefix" (its first characters) or "hash_base64_sha512_sha512" (base64 of
 * SHA-512 of SHA-512 of the token). Tokens are stored encrypted, so each is opened and compared.
 */
async function accountsWithRefreshToken(subject: Record<string, unknown>): Promise<AccountRow[]> {
  const { token_identifier_alg: alg, token, token_type: tokenType } = subject;
  if (typeof token !== "string" || token === "") return [];
  if (tokenType !== undefined && tokenType !== "refresh_token") return [];
  let matches: (refreshToken: string) => boolean;
  if (alg === "prefix") {
    if (token.length < MIN_PREFIX_LENGTH) return [];
    matches = (refreshToken) => refreshToken.startsWith(token);
  } else if (alg === "hash_base64_sha512_sha512") {
    const wanted = Buffer.from(token, "base64"); // also reads base64url
    if (wanted.length !== 64) return [];
    matches = (refreshToken) => timingSafeEqual(doubleSha512(refreshToken), wanted);
  } else {
    return [];
  }
  const found: AccountRow[] = [];
  let after: string | undefined;
  for (;;) {
    const batch = await getDb().account.findMany({
      where: { provider: "google", refresh_token: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, userId: true, provider: true, providerAccountId: true, status: true, refresh_token: true },
      orderBy: { id: "asc" },
      take: SCAN_BATCH,
    });
    for (const { refresh_token: stored, ...account } of batch) {
      const refreshToken = readableToken(account, "refresh_token", stored);
      if (refreshToken && matches(refreshToken)) found.push(account);
    }
    if (batch.length < SCAN_BATCH) return found;
    after = batch.at(-1)!.id;
  }
}

function doubleSha512(token: string): Buffer {
  return createHash("sha512").update(createHash("sha512").update(token).digest()).digest();
}
