"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isRecentlyReverified, signAccountChange, type AccountChange, type SignedInUser } from "@/lib/auth";
import { userAction } from "@/lib/http";
import { connectedAccountErrorText } from "@/lib/words";
import {
  addPasskey,
  passkeyErrorText,
  passkeyNameField,
  registrationOptions,
  registrationResponseField,
  removePasskey,
  type PasskeyErrorCode,
} from "@/lib/passkeys";
import { SECURITY_PAGE as PAGE } from "@/components/settings/sections";
import { actionError, type ActionError } from "@/components/connected-accounts/action-state";
import type { PasskeyActionState, RegistrationStart } from "@/components/passkeys/state";
import { confirmIdentityFirstIfStale } from "../verify/confirm-first";
import { signOutSessions } from "./sign-out";

// Server actions are public endpoints: each is a userAction (the user, the rate limit, the fields),
// and only actions may be exported from a "use server" module. Adding a passkey gives whoever adds it the user's strongest factor, and removing one takes it
// away: both need a confirmation from the last few minutes, as linking and unlinking do.

const refuse = (code: "rate_limited" | "invalid_request") => actionError(connectedAccountErrorText(code));

/** Adding, step 1: the options for navigator.credentials.create(), or a confirmation first. */
export const startAddingPasskeyAction = userAction(
  { page: PAGE, schema: z.object({}), rateLimit: "account_change", refuse },
  async (_input, user): Promise<RegistrationStart> => {
    const confirm = await confirmationNeeded(user, { kind: "add_passkey" });
    if (confirm) return confirm;
    const started = await registrationOptions(user);
    return started.ok ? { status: "options", options: started.options } : passkeyError(started.error.code);
  },
);

const addFields = z.object({ name: passkeyNameField, response: registrationResponseField });

/** Adding, step 2: the browser's answer, checked and stored. */
export const addPasskeyAction = userAction(
  { page: PAGE, schema: addFields, rateLimit: "account_change", refuse },
  async ({ name, response }, user): Promise<PasskeyActionState> => {
    const confirm = await confirmationNeeded(user, { kind: "add_passkey" });
    if (confirm) return confirm;
    const added = await addPasskey(user, name, response);
    return added.ok
      ? { status: "success", message: `Passkey “${name}” added.`, id: Date.now() }
      : passkeyError(added.error.code);
  },
);

const removeFields = z.object({
  credentialID: z
    .string()
    .min(1)
    .max(1_400)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const removePasskeyAction = userAction(
  { page: PAGE, schema: removeFields, rateLimit: "account_change", refuse },
  async ({ credentialID }, user): Promise<PasskeyActionState> => {
    if (!(await isRecentlyReverified(user.sessionId)))
      redirect(verifyUrl(user, { kind: "remove_passkey", credentialID }));
    const removed = await removePasskey(user, credentialID);
    return removed.ok ? { status: "success", message: "Passkey removed.", id: Date.now() } : passkeyError("not_found");
  },
);

async function confirmationNeeded(
  user: SignedInUser,
  change: AccountChange,
): Promise<{ status: "confirm"; url: string } | undefined> {
  return (await isRecentlyReverified(user.sessionId)) ? undefined : { status: "confirm", url: verifyUrl(user, change) };
}

function verifyUrl(user: SignedInUser, change: AccountChange): string {
  return `/settings/verify?continue=${encodeURIComponent(signAccountChange(user, change))}`;
}

function passkeyError(code: PasskeyErrorCode): ActionError {
  return actionError(passkeyErrorText(code));
}

// Signing out other sessions needs a recent sign-in too: a stolen cookie alone cannot sign the
// owner out everywhere else and keep the account to itself.

const refuseSignOut = (code: string) => redirect(`${PAGE}?error=${code}`);

export const signOutOtherSessionsAction = userAction(
  { page: PAGE, schema: z.object({}), rateLimit: "account_change", refuse: refuseSignOut },
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
  { page: PAGE, schema: sessionFields, rateLimit: "account_change", refuse: refuseSignOut },
  async ({ sessionId }, user): Promise<void> => {
    await confirmIdentityFirstIfStale(user, { kind: "sign_out", sessionId });
    await signOutSessions(user, sessionId);
  },
);
