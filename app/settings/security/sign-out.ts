import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { endOtherSessions, type SignedInUser } from "@/lib/auth";
import { SECURITY_PAGE } from "@/components/settings/sections";

// Signing out other sessions, for the actions and for ../connected-accounts/continue (after the
// user confirmed who they are). Not a "use server" module: it takes a user the caller has checked.

/** What the Security page says after a sign-out (`?notice=`). */
export const SIGN_OUT_NOTICES = {
  others_signed_out: "Signed out of your other sessions.",
  no_other_sessions: "No other session was signed in.",
  session_signed_out: "Signed out of that session.",
  session_not_found: "That session had already ended.",
} as const;

/** Ends one other session (`sessionId`) or all of them (null), then shows the page with a notice. */
export async function signOutSessions(user: SignedInUser, sessionId: string | null): Promise<never> {
  const ended = await endOtherSessions(user, sessionId === null ? "others" : { sessionId });
  revalidatePath(SECURITY_PAGE);
  const notice: keyof typeof SIGN_OUT_NOTICES =
    sessionId === null
      ? ended > 0
        ? "others_signed_out"
        : "no_other_sessions"
      : ended > 0
        ? "session_signed_out"
        : "session_not_found";
  redirect(`${SECURITY_PAGE}?notice=${notice}`);
}
