import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { beginAccountFlow, type SignedInUser } from "@/lib/auth";
import {
  afterConnectUrl,
  connectAuthorizationParams,
  CONNECTED_ACCOUNTS_PAGE as PAGE,
  unlinkAccount,
  type UnlinkErrorCode,
} from "@/lib/connected-accounts";
import type { ConfiguredProvider } from "@/lib/providers";

// The account changes themselves, for the actions and for ./continue/route.ts (after the user
// confirmed who they are). Not a "use server" module: these take a user the caller has checked.

/** Unlinks and navigates to the page with a notice (the account's row is gone), or says why not. */
export async function disconnect(user: SignedInUser, accountId: string): Promise<UnlinkErrorCode> {
  const result = await unlinkAccount(user.id, accountId);
  if (!result.ok) return result.error.code;
  revalidatePath(PAGE);
  const notice = result.revocation.ok
    ? "disconnected"
    : result.notRevocable
      ? "disconnected_not_revocable"
      : "disconnected_not_revoked";
  redirect(`${PAGE}?notice=${notice}&provider=${result.provider}`);
}

export async function startAuthorization(
  user: SignedInUser,
  provider: ConfiguredProvider,
  scopes: readonly string[],
  kind: "link" | "consent",
  claims?: string,
): Promise<never> {
  const params = await connectAuthorizationParams(user.id, provider, scopes, claims);
  return beginAccountFlow(kind, user, provider, params, afterConnectUrl(provider.id, kind, scopes));
}
