"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { beginAccountFlow, confirmsWithProvider, reverificationFactor } from "@/lib/auth";
import { userAction } from "@/lib/http";
import { CONNECTED_ACCOUNTS_PAGE as PAGE, reauthenticationParams } from "@/lib/connected-accounts";
import { readAccountChange } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { configuredProviderField } from "@/lib/providers";

const confirmFields = z.object({ continue: z.string(), provider: configuredProviderField });

/**
 * "Confirm it's you" with a provider: signs the user in again with one of their own linked providers, then
 * carries on with the change they asked for (app/settings/connected-accounts/continue).
 */
export const confirmIdentityAction = userAction(
  {
    page: PAGE,
    schema: confirmFields,
    rateLimit: "account_change",
    refuse: (code) => redirect(`${PAGE}?error=${code}`),
  },
  async ({ continue: token, provider }, user): Promise<void> => {
    const change = readAccountChange(user, token);
    const linked = (await getDb().account.count({ where: { userId: user.id, provider: provider.id } })) > 0;
    if (!change || !linked) redirect(`${PAGE}?error=invalid_request`);
    // Only the user's strongest factor: GitHub's silent re-approval never stands in for a passkey.
    if (!confirmsWithProvider(await reverificationFactor(user.id), provider.id))
      redirect(`/settings/verify?continue=${encodeURIComponent(token)}`);
    await beginAccountFlow(
      "reauth",
      user,
      provider,
      reauthenticationParams(provider),
      `${PAGE}/continue?change=${encodeURIComponent(token)}`,
    );
  },
);
