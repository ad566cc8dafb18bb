"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { forgetAccountFlow, signOut } from "@/lib/auth";
import { userAction } from "@/lib/http";
import { dismissNotice } from "@/lib/connected-accounts";

// Every export of a "use server" module can be called from the browser: only actions here.

export async function signOutAction(): Promise<void> {
  await forgetAccountFlow();
  await signOut({ redirectTo: "/sign-in?notice=signed_out" });
}

const dismissFields = z.object({
  noticeId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/**
 * Dismiss on a connection notice. The data layer dismisses only the user's own notice: another
 * user's id, an unknown one or one already dismissed (another tab) changes nothing, and the page
 * simply shows the notices that are left.
 */
export const dismissNoticeAction = userAction(
  { page: "/", schema: dismissFields, refuse: () => undefined },
  async ({ noticeId }, user): Promise<void> => {
    await dismissNotice(user.id, noticeId);
    revalidatePath("/", "layout");
  },
);
