import "server-only";
import type { Prisma } from "@prisma/client";

// The ids of the security notices a provider sent (lib/providers/google/receiver, lib/providers/github/receiver), so that a replay
// or a redelivery changes nothing.

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
