"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { displayNameField, renameUser } from "@/lib/auth";
import { userAction } from "@/lib/http";
import { connectedAccountErrorText } from "@/lib/words";
import { actionError, type ActionState } from "@/components/connected-accounts/action-state";
import { PROFILE_PAGE } from "@/components/settings/sections";

// Only actions may be exported from a "use server" module: each export can be called from the browser.

/** The name is checked twice: here, to say what is wrong with it, and by renameUser itself. */
export const renameAction = userAction(
  {
    page: PROFILE_PAGE,
    schema: z.object({ name: z.string().max(1000) }),
    rateLimit: "account_change",
    refuse: (code) => actionError(connectedAccountErrorText(code)),
  },
  async ({ name }, user): Promise<ActionState> => {
    const parsed = displayNameField.safeParse(name);
    if (!parsed.success) return actionError(parsed.error.issues[0]?.message ?? "Enter a name.");
    await renameUser(user.id, parsed.data);
    revalidatePath("/", "layout");
    return { status: "success", message: "Your name was saved.", id: Date.now() };
  },
);
