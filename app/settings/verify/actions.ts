"use server";

import { redirect } from "next/navigation";
import { beginAccountFlow } from "@/lib/auth/begin-account-flow";
import { requireUser } from "@/lib/auth/require-user";
import { readAccountChange } from "@/lib/connected-accounts/account-change";
import { reauthenticationParams } from "@/lib/connected-accounts/connect";
import { CONNECTED_ACCOUNTS_PAGE } from "@/lib/connected-accounts/connect-url";
import { getDb } from "@/lib/db";
import { findProvider, getConfiguredProviders } from "@/lib/providers";

/**
 * "Confirm it's you": signs the user in again with one of their own linked providers, then
 * carries on with the change they asked for (app/settings/connected-accounts/continue).
 */
export async function confirmIdentityAction(formData: FormData): Promise<void> {
  const user = await requireUser(CONNECTED_ACCOUNTS_PAGE);
  const token = formData.get("continue");
  const change = readAccountChange(user, token);
  const provider = findProvider(getConfiguredProviders(), String(formData.get("provider")));
  const linked = provider && (await getDb().account.count({ where: { userId: user.id, provider: provider.id } })) > 0;
  if (!change || !provider || !linked || typeof token !== "string") redirect(`${CONNECTED_ACCOUNTS_PAGE}?error=invalid_request`);
  await beginAccountFlow(
    "reauth",
    user,
    provider,
    reauthenticationParams(provider),
    `${CONNECTED_ACCOUNTS_PAGE}/continue?change=${encodeURIComponent(token)}`,
  );
}
