import type { PrismaClient } from "@prisma/client";
import type { Sandbox } from "../../sandbox";
import { authorizeGoogle } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { fetchAs } from "../../lib/connected-accounts";

/** A new user with a Google account linked from the sandbox: its tokens and the Account row's id. */
export async function googleUser(stack: { sandbox: () => Sandbox; db: () => PrismaClient }, email: string) {
  const tokens = await authorizeGoogle(stack.sandbox().url, { email });
  const linked = await linkedUser(stack.db(), "google", tokens);
  const row = await stack.db().account.findFirstOrThrow({ where: { providerAccountId: linked.providerAccountId } });
  return { ...linked, tokens, accountId: row.id };
}

type Stack = { sandbox: () => Sandbox };

/** The user's Google profile, read through fetchAs from the sandbox (a core test's "Google call"). */
export function googleProfile(stack: Stack, userId: string) {
  return fetchAs(
    userId,
    { provider: "google", scopes: ["openid", "email", "profile"], feature: "Profile" },
    `${stack.sandbox().url}/google-api/oauth2/v3/userinfo`,
  );
}

/** The user's Drive files, read through fetchAs from the sandbox with `scopes`. */
export function googleDriveFiles(stack: Stack, userId: string, scopes: string[]) {
  return fetchAs(
    userId,
    { provider: "google", scopes, feature: "Drive" },
    `${stack.sandbox().url}/google-api/drive/v3/files`,
  );
}
