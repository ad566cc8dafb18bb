"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction } from "@/lib/http";
import { CONNECTED_ACCOUNTS_PAGE as PAGE } from "@/lib/connected-accounts";
import { readAccountChange } from "@/lib/auth";
import { authenticationResponseField, confirmationOptions, confirmWithPasskey, passkeyErrorText } from "@/lib/passkeys";
import { connectedAccountErrorText } from "@/lib/words";
import { actionError } from "@/components/connected-accounts/action-state";
import type { ConfirmationStart, PasskeyActionState } from "@/components/passkeys/state";

// "Confirm it's you" with a passkey: the challenge, then the answer. On success the session is
// verified and the change the user asked for goes ahead (../connected-accounts/continue).

const refuse = (code: "rate_limited" | "invalid_request") => actionError(connectedAccountErrorText(code));

export const startPasskeyConfirmationAction = userAction(
  { page: PAGE, schema: z.object({}), rateLimit: "account_change", refuse },
  async (_input, user): Promise<ConfirmationStart> => {
    const started = await confirmationOptions(user);
    return started.ok
      ? { status: "options", options: started.options }
      : actionError(passkeyErrorText(started.error.code));
  },
);

const confirmFields = z.object({ continue: z.string().max(4_096), response: authenticationResponseField });

export const confirmWithPasskeyAction = userAction(
  { page: PAGE, schema: confirmFields, rateLimit: "account_change", refuse },
  async ({ continue: token, response }, user): Promise<PasskeyActionState> => {
    if (!readAccountChange(user, token)) redirect(`${PAGE}?error=invalid_request`);
    const confirmed = await confirmWithPasskey(user, response);
    if (!confirmed.ok) return actionError(passkeyErrorText(confirmed.error.code));
    // The browser loads it (a route handler that redirects): a client-side navigation would keep its URL.
    return { status: "continue", url: `${PAGE}/continue?change=${encodeURIComponent(token)}` };
  },
);
