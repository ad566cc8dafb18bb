"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction, type ConnectedAccountErrorCode } from "@/lib/http";
import { CONNECTED_ACCOUNTS_PAGE as PAGE, parseClaimsRequest, parseGrantableScopes } from "@/lib/connected-accounts";
import { connectedAccountErrorText } from "@/lib/words";
import { getDb } from "@/lib/db";
import { configuredProviderField } from "@/lib/providers";
import { revokeAgentGrant } from "@/lib/agents";
import { actionError, type ActionState } from "@/components/connected-accounts/action-state";
import { confirmIdentityFirstIfStale } from "../verify/confirm-first";
import { disconnect, startAuthorization } from "./account-changes";

// Server actions are public endpoints: each one is a userAction (the user, the rate limit, every
// field validated), and the data layer re-checks ownership. Only actions may be exported from this
// file: every export of a "use server" module can be called from the browser. Linking and
// unlinking also need a recent sign-in: with an older one, the user confirms who they are first
// (/settings/verify) and the change then goes ahead (./continue/route.ts).

const disconnectFields = z.object({
  accountId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const disconnectAccountAction = userAction(
  { page: PAGE, schema: disconnectFields, rateLimit: "account_change", refuse: errorState },
  async ({ accountId }, user): Promise<ActionState> => {
    await confirmIdentityFirstIfStale(user, { kind: "unlink", accountId });
    return errorState(await disconnect(user, accountId));
  },
);

const connectFields = z
  .object({
    provider: configuredProviderField,
    scopes: z.string().default(""),
    purpose: z.enum(["link", "consent"]).default("link"),
    // A provider's claims challenge (Continuous Access Evaluation), from the connect URL.
    claims: z.string().optional(),
  })
  .transform(({ provider, scopes, purpose, claims }, context) => {
    const grantable = parseGrantableScopes(provider, scopes);
    const challenge = parseClaimsRequest(claims);
    if (grantable.ok && challenge.ok) return { provider, scopes: grantable.scopes, purpose, claims: challenge.claims };
    context.addIssue({
      code: "custom",
      message: "scopes this provider does not offer, or claims that are no claims request",
    });
    return z.NEVER;
  });

/**
 * Connect, Reconnect and Grant access. `purpose` "link" adds an account (a recent sign-in
 * needed); "consent" asks again for an account already linked (Reconnect, Grant access).
 */
export const connectProviderAction = userAction(
  {
    page: PAGE,
    schema: connectFields,
    rateLimit: "account_change",
    refuse: (code) => redirect(`${PAGE}?error=${code}`),
  },
  async ({ provider, scopes, purpose, claims }, user): Promise<void> => {
    const hasAccount = (await getDb().account.count({ where: { userId: user.id, provider: provider.id } })) > 0;
    const kind = purpose === "consent" && hasAccount ? "consent" : "link";
    if (kind === "link") await confirmIdentityFirstIfStale(user, { kind: "link", provider: provider.id, scopes });
    await startAuthorization(user, provider, scopes, kind, claims);
  },
);

function errorState(code: ConnectedAccountErrorCode): ActionState {
  return actionError(connectedAccountErrorText(code));
}

const revokeAgentFields = z.object({
  grantId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/** Revoke on "Agents with access": the agent's next call gets 401. */
export const revokeAgentAction = userAction(
  {
    page: PAGE,
    schema: revokeAgentFields,
    rateLimit: "account_change",
    refuse: (code) => redirect(`${PAGE}?error=${code}`),
  },
  async ({ grantId }, user): Promise<void> => {
    const revoked = await revokeAgentGrant(user.id, grantId);
    redirect(revoked.ok ? PAGE : `${PAGE}?error=invalid_request`);
  },
);
