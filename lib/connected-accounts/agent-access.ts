import "server-only";
import type { Prisma } from "@prisma/client";
import type { RecordEvent } from "./events";

/**
 * Takes a connected account away from every agent it was shared with (lib/agents), with an
 * agent.revoked event each: on unlink, and when the provider says the grant is gone. Reconnecting
 * the account later does not give it back to them.
 */
export async function endAgentAccess(
  tx: Prisma.TransactionClient,
  record: RecordEvent,
  account: { userId: string; accountId: string; provider: string },
  reason: string,
): Promise<void> {
  const shared = await tx.agentGrantAccount.findMany({
    where: { accountId: account.accountId },
    include: { grant: { include: { client: { select: { id: true, name: true } } } } },
  });
  if (shared.length === 0) return;
  await tx.agentGrantAccount.deleteMany({ where: { accountId: account.accountId } });
  for (const { grant } of shared) {
    const agent = { clientId: grant.client.id, name: grant.client.name };
    record({ ...account, type: "agent.revoked", reason, detail: { agent } });
  }
}
