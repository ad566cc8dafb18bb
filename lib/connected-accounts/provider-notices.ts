import "server-only";
import type { Prisma } from "@prisma/client";
import { log } from "../log";
import type { EventCause } from "./event-types";
import { endAgentAccess } from "./agent-access";
import type { RecordEvent } from "./events";

type AccountToMark = { id: string; userId: string; provider: string; status: string };

/**
 * Marks accounts Needs reconnect because the provider says their grant is gone: a `revoked` event
 * (`revokedReason`, what the provider said) then `needs_reconnect`, both with `cause`, for each
 * account still active.
 * Every agent that could use such an account no longer can (agent.revoked): reconnecting it later
 * does not give them access back. An account already marked gets no new events. Returns how many
 * were marked.
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
    await endAgentAccess(tx, record, base, "revoked at the provider");
    log.warn("account.marked_needs_reconnect", { ...base, reason: revokedReason });
  }
  return marked;
}
