"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/require-user";
import { parseRequestedScopes } from "@/lib/connected-accounts/connect";
import { connectUrl } from "@/lib/connected-accounts/connect-url";
import { connectedAccountErrorText } from "@/lib/connected-accounts/errors";
import { unlinkAccount } from "@/lib/connected-accounts/unlink";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { takeRateLimit } from "@/lib/rate-limit";
import type { ActionState } from "@/components/connected-accounts/action-state";

const PAGE = "/settings/connected-accounts";
const accountIdField = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

// Server actions are public endpoints: each one checks the user, validates every field, and
// lets the data layer re-check ownership.

export async function disconnectAccountAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireUser(PAGE);
  const limit = await takeRateLimit(user.id, "account_change");
  if (!limit.ok) return { status: "error", message: connectedAccountErrorText("rate_limited"), id: Date.now() };
  const accountId = accountIdField.safeParse(formData.get("accountId"));
  if (!accountId.success) return { status: "error", message: connectedAccountErrorText("invalid_request"), id: Date.now() };

  const result = await unlinkAccount(user.id, accountId.data);
  if (!result.ok) return { status: "error", message: connectedAccountErrorText(result.code), id: Date.now() };
  revalidatePath(PAGE);
  // The account's row leaves the page, so the confirmation travels in the URL.
  const notice = result.revocation.revoked ? "disconnected" : "disconnected_not_revoked";
  redirect(`${PAGE}?notice=${notice}&provider=${result.provider}`);
}

/** Connect, Reconnect and Grant access: starts the provider's authorization for this user (rate-limited there). */
export async function connectProviderAction(formData: FormData): Promise<void> {
  await requireUser(PAGE);
  const provider = findProvider(getConfiguredProviders(), String(formData.get("provider")));
  const scopes = parseRequestedScopes(typeof formData.get("scopes") === "string" ? String(formData.get("scopes")) : null);
  if (!provider || !scopes.ok) redirect(`${PAGE}?error=invalid_request`);
  redirect(connectUrl(provider.id, scopes.scopes, PAGE));
}
