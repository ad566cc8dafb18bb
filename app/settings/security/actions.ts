"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction } from "@/lib/auth";
import { SECURITY_PAGE as PAGE } from "@/components/settings/sections";
import { confirmIdentityFirstIfStale } from "../verify/confirm-first";
import { signOutSessions } from "./sign-out";

// Only actions may be exported from a "use server" module: each export can be called from the
// browser. Both need a recent sign-in, as linking does: a stolen cookie alone cannot sign the
// owner out everywhere else and keep the account to itself.

const refuse = (code: string) => redirect(`${PAGE}?error=${code}`);

export const signOutOtherSessionsAction = userAction(
  { page: PAGE, schema: z.object({}), rateLimit: "account_change", refuse },
  async (_input, user): Promise<void> => {
    await confirmIdentityFirstIfStale(user, { kind: "sign_out", sessionId: null });
    await signOutSessions(user, null);
  },
);

const sessionFields = z.object({
  sessionId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/** One other session; the data layer matches only the user's own sessions, never this one. */
export const signOutSessionAction = userAction(
  { page: PAGE, schema: sessionFields, rateLimit: "account_change", refuse },
  async ({ sessionId }, user): Promise<void> => {
    await confirmIdentityFirstIfStale(user, { kind: "sign_out", sessionId });
    await signOutSessions(user, sessionId);
  },
);
