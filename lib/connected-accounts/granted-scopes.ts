import "server-only";
import { getDb } from "../db";
import { grantIncludes, type ProviderDefinition } from "../providers";

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
  const db = getDb();
  const row = await db.account.findUnique({ where: { id: accountId }, select: { grantedScopes: true } });
  if (!row) return;
  const kept = row.grantedScopes.filter(
    (granted) => !scopes.some((scope) => grantIncludes(provider, [granted], scope)),
  );
  if (kept.length === row.grantedScopes.length) return;
  await db.account.updateMany({
    where: { id: accountId, grantedScopes: { equals: row.grantedScopes } },
    data: { grantedScopes: kept },
  });
}
