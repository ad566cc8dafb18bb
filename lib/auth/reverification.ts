import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { getDb } from "../db";
import { relyingParty } from "../passkeys/relying-party";
import {
  getConfiguredProviders,
  provesSignIn,
  signsIn,
  type ConfiguredProvider,
  type ProviderDefinition,
} from "../providers";

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
  const providers = getConfiguredProviders().filter(
    (provider) => signsIn(provider) && linked.some((account) => account.provider === provider.id),
  );
  const signsInAgain = providers.filter(provesSignIn);
  if (signsInAgain.length > 0) return { kind: "provider-sign-in", providers: signsInAgain };
  if (providers.length > 0) return { kind: "provider-approval", providers };
  return { kind: "none" };
}

/** May the user confirm who they are with `providerId`, given their strongest factor? */
export function confirmsWithProvider(factor: ReverificationFactor, providerId: string): boolean {
  return factor.kind !== "passkey" && factor.kind !== "none" && factor.providers.some(({ id }) => id === providerId);
}

const STRENGTH: Record<ReverificationFactor["kind"], number> = {
  none: 0,
  "provider-approval": 1,
  "provider-sign-in": 2,
  passkey: 3,
};

/**
 * Does signing in with `provider` prove as much as the user's strongest factor? A new session
 * counts as a fresh confirmation only then: otherwise signing out and in again with GitHub would
 * stand in for the passkey that Confirm it's you asks for.
 */
export function signInConfirms(
  factor: ReverificationFactor,
  provider: Pick<ProviderDefinition, "protocol" | "noAuthTime">,
): boolean {
  return STRENGTH[provesSignIn(provider) ? "provider-sign-in" : "provider-approval"] >= STRENGTH[factor.kind];
}

// From the sign-in callback to the adapter's createSession: both run inside one Auth.js request,
// so the note lives in that request's scope. A map keyed by user would let two sign-ins of one user
// at the same moment (one weak, one strong) swap their notes.
const signInRequest = new AsyncLocalStorage<{ unconfirmed: Set<string> }>();

/** Runs one Auth.js request (`handle`) with its own notes of unconfirmed sign-ins. */
export function inSignInRequest<T>(handle: () => T): T {
  return signInRequest.run({ unconfirmed: new Set() }, handle);
}

/** The session about to be created for `userId` in this request starts unconfirmed. */
export function noteUnconfirmedSignIn(userId: string): void {
  const request = signInRequest.getStore();
  // Dropping the note would start the session confirmed: refuse the sign-in instead.
  if (!request) throw new Error("noteUnconfirmedSignIn ran outside inSignInRequest: wrap the Auth.js handlers");
  request.unconfirmed.add(userId);
}

/** Whether the session being created for `userId` in this request starts unconfirmed; forgets the note. */
export function takeUnconfirmedSignIn(userId: string): boolean {
  return signInRequest.getStore()?.unconfirmed.delete(userId) ?? false;
}
