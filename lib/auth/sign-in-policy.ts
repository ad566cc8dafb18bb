import "server-only";
import type { Account, Profile, Session, User } from "next-auth";
import { changeWithEvents, recordSignIn } from "../connected-accounts";
import { getDb } from "../db";
import { log } from "../log";
import { provesSignIn, signsIn, type ConfiguredProvider } from "../providers";
import { takeAccountFlow, type AccountFlow } from "./account-flow-cookie";
import { markSessionReverified } from "./recent-sign-in";
import { confirmsWithProvider, noteUnconfirmedSignIn, reverificationFactor, signInConfirms } from "./reverification";
import { describeError } from "../result";

/** Why a sign-in or link was turned away; each has words on the page it lands on. */
export type SignInRefusal =
  | "account_linked_elsewhere"
  | "link_not_started"
  | "different_account"
  | "reauth_failed"
  | "connect_only"
  | "account_not_admitted";

type SignInAttempt = {
  provider: ConfiguredProvider;
  account: Account;
  /** The provider's raw profile (OIDC: the ID token's claims). */
  profile: Profile;
  /** What Auth.js will store for a new user: its `email` is set only when the provider verified it. */
  user: User;
};

/** How far a provider's clock may run behind ours when it reports the time of a sign-in. */
const PROVIDER_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Auth.js's signIn callback: may this provider's answer sign in, link or re-consent, and where to
 * send the browser if not (`true` = go on). `currentSession` is Auth.js's own reading of this
 * request's session (same cookie, same lookup), so the two never disagree on "signed in".
 *
 * - A provider account already linked signs in its user, or re-consents for it. Its new tokens
 *   are written here, where a failed write fails the sign-in: Auth.js swallows errors in events.
 * - A provider account nobody has linked joins the signed-in user only through a link this
 *   session started (lib/auth/account-flow-cookie.ts), never by email.
 * - Signed out, it becomes a new user, or joins the user whose verified address the provider
 *   verified too: Auth.js does that by email, and only ever sees verified addresses (config.ts).
 *   An unverified address that belongs to someone is refused with the usual explanation.
 * - A provider for connecting only never signs anyone in: signed out, it is refused before any
 *   user is found, made or joined; signed in, it links like any other.
 * - An account the provider's configuration does not admit (`admitsAccount`: a Microsoft tenant
 *   off the allow-list) is refused, signed in or out, before anything is found or stored.
 */
export async function decideSignIn(
  attempt: SignInAttempt,
  currentSession: () => Promise<Session | null>,
): Promise<true | string> {
  const { provider, account, profile, user } = attempt;
  const db = getDb();
  const [session, taken, linked] = await Promise.all([
    currentSession(),
    takeAccountFlow(),
    db.account.findUnique({
      where: {
        provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId },
      },
      select: { id: true, userId: true },
    }),
  ]);
  const signedIn =
    session?.user?.id && session.sessionId ? { userId: session.user.id, sessionId: session.sessionId } : undefined;
  const refuse = (code: SignInRefusal) =>
    signedIn ? `/settings/connected-accounts?error=${code}` : `/sign-in?error=${code}`;

  if (!signedIn && !signsIn(provider)) return refuse("connect_only");
  // The provider's own rule for whose accounts may come in (Entra: the tenant allow-list).
  if (provider.admitsAccount && !provider.admitsAccount(provider, profile)) return refuse("account_not_admitted");

  const flow = taken.started ? taken.flow : undefined;
  if (taken.started && !(flow && signedIn && belongsTo(flow, signedIn, provider))) return refuse("link_not_started");

  if (linked) {
    if (signedIn && linked.userId !== signedIn.userId) return refuse("account_linked_elsewhere");
    const reauth = flow?.kind === "reauth" && signedIn;
    if (reauth && !authenticatedSince(provider, profile, flow.startedAt)) return refuse("reauth_failed");
    // Checked again here: a factor added since the confirmation began (a passkey) outranks this one.
    if (reauth && !confirmsWithProvider(await reverificationFactor(signedIn.userId), provider.id))
      return refuse("reauth_failed");
    try {
      if (reauth) await confirmedWith(provider, linked.id, signedIn);
      else if (!signedIn && !signInConfirms(await reverificationFactor(linked.userId), provider))
        noteUnconfirmedSignIn(linked.userId);
      await recordSignIn(db, account, provider.accountProfile(profile));
    } catch (error) {
      const reason = `the sign-in could not be saved, so it was refused: ${describeError(error)}`;
      log.error("sign_in.not_saved", { provider: provider.id, reason });
      return "/auth-error?error=sign_in_not_saved";
    }
    return true;
  }

  if (signedIn) {
    if (flow?.kind === "link") return true;
    return refuse(
      flow?.kind === "reauth" ? "reauth_failed" : flow?.kind === "consent" ? "different_account" : "link_not_started",
    );
  }

  const claimed = typeof profile.email === "string" ? profile.email.toLowerCase() : undefined;
  if (!user.email && claimed && (await db.user.findUnique({ where: { email: claimed }, select: { id: true } }))) {
    return "/sign-in?error=OAuthAccountNotLinked";
  }
  // A verified address joins its user (Auth.js, by email): a confirmation only if as strong as theirs.
  const joined = user.email && (await db.user.findUnique({ where: { email: user.email }, select: { id: true } }));
  if (joined && !signInConfirms(await reverificationFactor(joined.id), provider)) noteUnconfirmedSignIn(joined.id);
  return true;
}

/** Marks the session reverified, with a `security.reverified` event naming the account and factor. */
async function confirmedWith(
  provider: ConfiguredProvider,
  accountId: string,
  signedIn: { userId: string; sessionId: string },
): Promise<void> {
  await changeWithEvents(async (tx, record) => {
    await markSessionReverified(signedIn.sessionId, signedIn.userId, tx);
    record({
      type: "security.reverified",
      userId: signedIn.userId,
      accountId,
      provider: provider.id,
      reason: provesSignIn(provider) ? "provider-sign-in" : "provider-approval",
    });
  });
}

function belongsTo(
  flow: AccountFlow,
  signedIn: { userId: string; sessionId: string },
  provider: ConfiguredProvider,
): boolean {
  return flow.sessionId === signedIn.sessionId && flow.userId === signedIn.userId && flow.provider === provider.id;
}

/**
 * Did the user authenticate at the provider during this flow? OIDC providers say when
 * (`auth_time`, which `max_age=0` makes them include); for plain OAuth 2 the completed
 * authorization is all the proof there is.
 */
function authenticatedSince(provider: ConfiguredProvider, profile: Profile, startedAt: number): boolean {
  if (!provesSignIn(provider)) return true;
  return typeof profile.auth_time === "number" && profile.auth_time * 1000 >= startedAt - PROVIDER_CLOCK_SKEW_MS;
}
