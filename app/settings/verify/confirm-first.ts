import "server-only";
import { redirect } from "next/navigation";
import { isRecentlyReverified, type SignedInUser } from "@/lib/auth";
import { type AccountChange, signAccountChange } from "@/lib/auth";

/**
 * For the actions that need a recent sign-in: returns when the session has one, else sends the
 * user to confirm who they are (./page.tsx), after which ../connected-accounts/continue makes the change.
 */
export async function confirmIdentityFirstIfStale(user: SignedInUser, change: AccountChange): Promise<void> {
  if (await isRecentlyReverified(user.sessionId)) return;
  redirect(`/settings/verify?continue=${encodeURIComponent(signAccountChange(user, change))}`);
}
