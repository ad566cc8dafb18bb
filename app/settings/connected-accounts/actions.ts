"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isRecentlyVerified } from "@/lib/auth/recent-sign-in";
import { requireUser, type SignedInUser } from "@/lib/auth/require-user";
import { signAccountChange, type AccountChange } from "@/lib/connected-accounts/account-change";
import { parseGrantableScopes } from "@/lib/connected-accounts/connect";
import { CONNECTED_ACCOUNTS_PAGE as PAGE } from "@/lib/connected-accounts/connect-url";
import { connectedAccountErrorText } from "@/lib/connected-accounts/errors";
import { getDb } from "@/lib/db";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { takeRateLimit } from "@/lib/rate-limit";
import type { ActionState } from "@/components/connected-accounts/action-state";
import { disconnect, startAuthorization } from "./account-changes";

const accountIdField = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

// Server actions are public endpoints: each one checks the user, validates every field, and
// lets the data layer re-check ownership. Only actions may be exported from this file: every
// export of a "use server" module can be called from the browser. Linking and unlinking also need a recent sign-in:
// with an older one, the user confirms who they are first (/settings/verify) and the change
// then goes ahead (./continue/route.ts).

export async function disconnectAccountAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser(PAGE);
  const limit = await takeRateLimit(user.id, "account_change");
  if (!limit.ok) return { status: "error", message: connectedAccountErrorText("rate_limited"), id: Date.now() };
  const accountId = accountIdField.safeParse(formData.get("accountId"));
  if (!accountId.success) return { status: "error", message: connectedAccountErrorText("invalid_request"), id: Date.now() };
  await confirmIdentityFirstIfStale(user, { kind: "unlink", accountId: accountId.data });
  return { status: "error", message: connectedAccountErrorText(await disconnect(user, accountId.data)), id: Date.now() };
}

/**
 * Connect, Reconnect and Grant access. `purpose` "link" adds an account (a recent sign-in
 * needed); "consent" asks again for an account already linked (Reconnect, Grant access).
 */
export async function connectProviderAction(formData: FormData): Promise<void> {
  const user = await requireUser(PAGE);
  const provider = findProvider(getConfiguredProviders(), String(formData.get("provider")));
  const scopes = provider && parseGrantableScopes(provider, formData.get("scopes") ?? "");
  const purpose = z.enum(["link", "consent"]).safeParse(formData.get("purpose") ?? "link");
  if (!provider || !scopes?.ok || !purpose.success) redirect(`${PAGE}?error=invalid_request`);
  const limit = await takeRateLimit(user.id, "account_change");
  if (!limit.ok) redirect(`${PAGE}?error=rate_limited`);

  const hasAccount = (await getDb().account.count({ where: { userId: user.id, provider: provider.id } })) > 0;
  const kind = purpose.data === "consent" && hasAccount ? "consent" : "link";
  if (kind === "link") await confirmIdentityFirstIfStale(user, { kind: "link", provider: provider.id, scopes: scopes.scopes });
  await startAuthorization(user, provider, scopes.scopes, kind);
}

async function confirmIdentityFirstIfStale(user: SignedInUser, change: AccountChange): Promise<void> {
  if (await isRecentlyVerified(user.sessionId)) return;
  redirect(`/settings/verify?continue=${encodeURIComponent(signAccountChange(user, change))}`);
}
