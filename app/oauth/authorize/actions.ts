"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import {
  approveAuthorization,
  checkAuthorizationRequest,
  consentPath,
  denialRedirect,
  CONSENT_PATH,
} from "@/lib/agents";
import { userAction } from "@/lib/http";
import { confirmIdentityFirstIfStale } from "../../settings/verify/confirm-first";
import { ACCOUNT_FIELD, ticked, TOOL_FIELD } from "./consent-fields";
import { requestOrigin } from "./request-origin";

// The consent page's two answers. Server actions are public endpoints: a post from another site
// is refused before it gets here (proxy.ts, and Next's own Origin check for actions), and each
// answer checks the whole authorization request again, as if the page had never been shown.

const consentFields = z.looseObject({ request: z.string().max(8192) });

export const approveAgentAction = userAction(
  {
    page: CONSENT_PATH,
    schema: consentFields,
    rateLimit: "account_change",
    refuse: (code) => redirect(`/settings/connected-accounts?error=${code}`),
  },
  async (fields, user) => {
    const query = new URLSearchParams(fields.request);
    const origin = await requestOrigin();
    const checked = await checkAuthorizationRequest(query, origin);
    if (!checked.ok) redirect(checked.error.redirectTo ?? consentPath(query));
    await confirmIdentityFirstIfStale(user, { kind: "authorize_agent", consentPath: consentPath(query) });
    const choice = { tools: ticked(fields, TOOL_FIELD), accountIds: ticked(fields, ACCOUNT_FIELD) };
    redirect(await approveAuthorization(user.id, checked.request, choice, origin));
  },
);

export const denyAgentAction = userAction(
  {
    page: CONSENT_PATH,
    schema: consentFields,
    refuse: (code) => redirect(`/settings/connected-accounts?error=${code}`),
  },
  async (fields) => {
    const query = new URLSearchParams(fields.request);
    const origin = await requestOrigin();
    const checked = await checkAuthorizationRequest(query, origin);
    if (!checked.ok) redirect(checked.error.redirectTo ?? consentPath(query));
    redirect(denialRedirect(checked.request, origin));
  },
);
