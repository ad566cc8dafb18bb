import "server-only";
import type { Prisma } from "@prisma/client";
import { log } from "../log";
import type { EventCause } from "./event-types";
import type { RecordEvent } from "./events";

/** Who sent a notice: Google's Cross-Account Protection (RISC) or a GitHub App webhook. */
export type NoticeSource = "google-risc" | "github-webhook";

/**
 * Notes a notice's id as received, in the transaction that applies it. False when it was received
 * before (a replay or a redelivery): the caller then changes nothing. The id is written with the
 * change, so a change that fails leaves the id free for the provider's retry.
 */
export async function firstReceipt(tx: Prisma.TransactionClient, source: NoticeSource, id: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "ReceivedNotice" (source, id) VALUES (${source}, ${id}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/** Forgets ids of `source` received more than `olderThanSeconds` ago (by the database's clock). */
export async function forgetReceiptsBefore(
  tx: Prisma.TransactionClient,
  source: NoticeSource,
  olderThanSeconds: number,
): Promise<void> {
  await tx.$executeRaw`
    DELETE FROM "ReceivedNotice"
    WHERE source = ${source} AND "receivedAt" < now() - make_interval(secs => ${olderThanSeconds})`;
}

type AccountToMark = { id: string; userId: string; provider: string; status: string };

/**
 * Marks accounts Needs reconnect because the provider says their grant is gone: a `revoked` event
 * (`revokedReason`, what the provider said) then `needs_reconnect`, both with `cause`, for each
 * account still active.
 * An account already marked gets no new events. Returns how many were marked.
 */
export async function markRevoked(
  tx: Prisma.TransactionClient,
  record: RecordEvent,
  accounts: readonly AccountToMark[],
  cause: Extract<EventCause, "revoked_at_provider" | "account_disabled" | "account_deleted">,
  revokedReason: string,
  needsReconnectReason = revokedReason,
): Promise<number> {
  let marked = 0;
  for (const account of accounts) {
    if (account.status !== "active") continue;
    const written = await tx.account.updateMany({
      where: { id: account.id, status: "active" },
      data: { status: "needs_reconnect", version: { increment: 1 } },
    });
    if (written.count !== 1) continue;
    marked += 1;
    const base = { userId: account.userId, accountId: account.id, provider: account.provider };
    const detail = { cause };
    record({ ...base, type: "connected_account.revoked", reason: revokedReason, detail });
    record({ ...base, type: "connected_account.needs_reconnect", reason: needsReconnectReason, detail });
    log.warn("account.marked_needs_reconnect", { ...base, reason: revokedReason });
  }
  return marked;
}

/** Signs a user out everywhere: deletes every session of theirs. Returns how many there were. */
export async function signOutEverywhere(tx: Prisma.TransactionClient, userId: string, reason: string): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId } });
  log.warn("user.signed_out_everywhere", { userId, reason, counts: { sessions: count } });
  return count;
}
