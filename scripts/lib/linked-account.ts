import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { RefreshTarget } from "../../sandbox/state";
import { sandboxControl, type TokenAnswer } from "../../sandbox/test-client";
import { createLinkedAccount } from "../../lib/connected-accounts";
import { findProvider, providerRegistry, type ProviderId } from "../../lib/providers/registry";

/**
 * A user (new, or `userId`) with one account linked from real sandbox tokens, as a sign-in would
 * store it; `providerAccountId` when the test needs the provider's id for it (random otherwise).
 */
export async function linkedUser(
  db: PrismaClient,
  provider: ProviderId,
  tokens: TokenAnswer,
  userId?: string,
  providerAccountId: string = randomUUID(),
) {
  const user = userId ? { id: userId } : await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  await createLinkedAccount(db, {
    userId: user.id,
    type: findProvider(providerRegistry, provider)?.protocol === "oidc" ? "oidc" : "oauth",
    provider,
    providerAccountId,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    id_token: tokens.id_token,
    expires_in: tokens.expires_in,
    refresh_token_expires_in: tokens.refresh_token_expires_in as number | undefined,
    scope: tokens.scope,
    token_type: "bearer",
  });
  return { userId: user.id, providerAccountId };
}

/** Makes the stored token expired, here and at the provider (by its name at the sandbox, e.g. "microsoft"). */
export async function expireAccessToken(
  db: PrismaClient,
  sandboxUrl: string,
  providerAccountId: string,
  provider: RefreshTarget,
) {
  await db.account.updateMany({
    where: { providerAccountId },
    data: { expires_at: Math.floor(Date.now() / 1000) - 5 },
  });
  await sandboxControl(sandboxUrl).expireTokens({ provider });
}
