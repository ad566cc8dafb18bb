import "server-only";
import { cookies } from "next/headers";
import { z } from "zod";
import { readSignedValue, signValue } from "./signed-value";
import { usesSecureCookies } from "./secure-cookies";

/**
 * An authorization this app started for a signed-in user, remembered in a signed cookie until the
 * provider's callback comes back, and tied to the session that started it:
 * - "link": connect a provider account (usually a new one) to this user;
 * - "consent": reconnect or grant more access to an account this user has already linked;
 * - "reauth": prove who you are with an account this user has already linked.
 */
export type AccountFlow = {
  kind: "link" | "consent" | "reauth";
  provider: string;
  userId: string;
  sessionId: string;
  startedAt: number;
};

const accountFlowSchema = z.object({
  kind: z.enum(["link", "consent", "reauth"]),
  provider: z.string(),
  userId: z.string(),
  sessionId: z.string(),
  startedAt: z.number(),
});

// As long as a provider's consent screen may reasonably stay open.
const FLOW_TTL_SECONDS = 10 * 60;

function cookieName(): string {
  return usesSecureCookies() ? "__Host-account-flow" : "account-flow";
}

export async function startAccountFlow(flow: Omit<AccountFlow, "startedAt">): Promise<void> {
  (await cookies()).set(cookieName(), signValue("account-flow", { ...flow, startedAt: Date.now() }, FLOW_TTL_SECONDS), {
    httpOnly: true,
    secure: usesSecureCookies(),
    sameSite: "lax",
    path: "/",
    maxAge: FLOW_TTL_SECONDS,
  });
}

/**
 * The flow this browser started, forgotten as it is read (one callback per flow). A flow cookie
 * that is there but no longer valid (expired, altered) still says a flow was started.
 */
export async function takeAccountFlow(): Promise<
  { started: false } | { started: true; flow: AccountFlow | undefined }
> {
  const jar = await cookies();
  const value = jar.get(cookieName())?.value;
  if (value === undefined) return { started: false };
  jar.delete(cookieName());
  const parsed = accountFlowSchema.safeParse(readSignedValue("account-flow", value));
  return { started: true, flow: parsed.success ? parsed.data : undefined };
}

/** Forgets a flow that was started and abandoned (a plain sign-in or a sign-out begins). */
export async function forgetAccountFlow(): Promise<void> {
  const jar = await cookies();
  if (jar.has(cookieName())) jar.delete(cookieName());
}
