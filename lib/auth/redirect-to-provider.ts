import "server-only";
import type { ConfiguredProvider } from "../providers";
import { signIn } from "./session";
import { startAccountFlow, type AccountFlow } from "./account-flow-cookie";
import type { SignedInUser } from "./require-user";

/**
 * Sends the signed-in user to `provider` to link an account, consent again, or confirm who they
 * are, remembering the flow for its callback (lib/auth/sign-in-policy.ts). Redirects; never returns.
 */
export async function beginAccountFlow(
  kind: AccountFlow["kind"],
  user: SignedInUser,
  provider: ConfiguredProvider,
  authorizationParams: Record<string, string>,
  redirectTo: string,
): Promise<never> {
  await startAccountFlow({ kind, provider: provider.id, userId: user.id, sessionId: user.sessionId });
  await signIn(provider.id, { redirectTo }, authorizationParams);
  throw new Error(`signIn(${provider.id}) did not redirect`);
}
