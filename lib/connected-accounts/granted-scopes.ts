import "server-only";
import { getDb } from "../db";
import { changeWithEvents, scopeChange } from "./events";
import { canonicalScope, type ProviderDefinition } from "../providers";

/**
 * The provider refused a call for lack of `scopes` that our record says were granted (access
 * removed at the provider): drop them from the record, so the card stops showing them and the
 * next call asks for them. A concurrent change of the record wins; this one is then skipped.
 */
export async function forgetGrantedScopes(
  provider: Pick<ProviderDefinition, "scopeAliases">,
  accountId: string,
  scopes: readonly string[],
): Promise<void> {
  const row = await getDb().account.findUnique({
    where: { id: accountId },
    select: { grantedScopes: true, userId: true, provider: true },
  });
  if (!row) return;
  const forgotten = new Set(scopes.map((scope) => canonicalScope(provider, scope)));
  const kept = row.grantedScopes.filter((granted) => !forgotten.has(canonicalScope(provider, granted)));
  const change = scopeChange(row.grantedScopes, kept);
  if (!change) return;
  await changeWithEvents(async (tx, record) => {
    const written = await tx.account.updateMany({
      where: { id: accountId, grantedScopes: { equals: row.grantedScopes } },
      data: { grantedScopes: kept },
    });
    if (written.count === 0) return;
    record({
      type: "connected_account.scopes_changed",
      userId: row.userId,
      accountId,
      provider: row.provider,
      reason: "the provider refused a call for lack of these scopes",
      detail: change,
    });
  });
}
