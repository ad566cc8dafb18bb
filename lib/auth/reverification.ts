import "server-only";
import { getDb } from "../db";
import { relyingParty } from "../passkeys/relying-party";
import { getConfiguredProviders, type ConfiguredProvider } from "../providers";

/**
 * What "Confirm it's you" asks of a user: their strongest factor, and only that one.
 * - "passkey": the user is present and unlocked a device they registered (lib/passkeys).
 * - "provider-sign-in": an OpenID Connect provider signs them in again (max_age=0), and its ID
 *   token's `auth_time` proves it happened now (lib/auth/sign-in-policy.ts).
 * - "provider-approval": a plain OAuth 2 provider (GitHub) re-approves an existing grant without
 *   asking for a password: a click proves little, so it is asked only of users with nothing stronger.
 * Asking for a weaker factor than the user has would let whoever finds their unlocked laptop
 * confirm with a click.
 */
export type ReverificationFactor =
  | { kind: "passkey"; passkeys: number }
  | { kind: "provider-sign-in" | "provider-approval"; providers: ConfiguredProvider[] }
  | { kind: "none" };

export async function reverificationFactor(userId: string): Promise<ReverificationFactor> {
  const db = getDb();
  const [passkeys, linked] = await Promise.all([
    // Passkeys made for another AUTH_URL cannot answer here; the user falls back to a provider.
    relyingParty() ? db.authenticator.count({ where: { userId } }) : 0,
    db.account.findMany({ where: { userId }, select: { provider: true }, distinct: ["provider"] }),
  ]);
  if (passkeys > 0) return { kind: "passkey", passkeys };
  const providers = getConfiguredProviders().filter((provider) =>
    linked.some((account) => account.provider === provider.id),
  );
  const signsInAgain = providers.filter((provider) => provider.protocol === "oidc");
  if (signsInAgain.length > 0) return { kind: "provider-sign-in", providers: signsInAgain };
  if (providers.length > 0) return { kind: "provider-approval", providers };
  return { kind: "none" };
}

/** May the user confirm who they are with `providerId`, given their strongest factor? */
export function confirmsWithProvider(factor: ReverificationFactor, providerId: string): boolean {
  return factor.kind !== "passkey" && factor.kind !== "none" && factor.providers.some(({ id }) => id === providerId);
}
