import "server-only";
import type { NextAuthConfig, Session } from "next-auth";
import { recordAccountProfile } from "../connected-accounts";
import { getDb } from "../db";
import { getEnv } from "../env";
import {
  findProvider,
  getConfiguredProviders,
  signsIn,
  type AccountProfile,
  type ConfiguredProvider,
} from "../providers";
import { createAdapter } from "./adapter";
import { logAuthError } from "./auth-log";
import { usesSecureCookies } from "./secure-cookies";
import { decideSignIn } from "./sign-in-policy";
import { verifiedEmail } from "./verified-email";

/** `currentSession` reads this request's session through Auth.js itself (lib/auth/session.ts). */
export function buildAuthConfig(currentSession: () => Promise<Session | null>): NextAuthConfig {
  const env = getEnv();
  const db = getDb();
  const providers = getConfiguredProviders();
  return {
    adapter: createAdapter(db),
    session: { strategy: "database" },
    secret: env.AUTH_SECRET,
    useSecureCookies: usesSecureCookies(),
    providers: providers.map(toAuthJsProvider),
    pages: { signIn: "/sign-in", error: "/auth-error" },
    logger: { error: logAuthError },
    callbacks: {
      async signIn({ user, account, profile }) {
        const provider = account && findProvider(providers, account.provider);
        if (!account || !provider) return false;
        return decideSignIn({ provider, account, profile: profile ?? {}, user }, currentSession);
      },
      // Only what pages need: Auth.js would otherwise pass the whole session row on, token included,
      // to anyone who reads /api/auth/session (readable by any script on the page).
      session({ session, user }): Session {
        // The adapter returns the whole Session row; its id (not a secret, unlike its token) names it.
        const { id: sessionId, expires } = session as typeof session & { id: string };
        return {
          user: { id: user.id, name: user.name ?? null, email: user.email ?? null, image: user.image ?? null },
          expires: new Date(expires).toISOString(),
          sessionId,
        };
      },
    },
    events: {
      // Names and avatars for the account list; the tokens were stored by the adapter's linkAccount.
      async linkAccount({ account, profile }) {
        const { accountProfile } = profile as { accountProfile?: AccountProfile };
        if (accountProfile) await recordAccountProfile(db, account, accountProfile);
      },
    },
  };
}

function toAuthJsProvider(provider: ConfiguredProvider) {
  const { clientId, clientSecret } = provider;
  // Auth.js joins a first sign-in to the user with the same email. `profile` below hands it an
  // email only when the provider verified it, so only a verified address can join, and only a
  // verified address is ever stored as a user's email.
  const allowDangerousEmailAccountLinking = provider.verifiedEmail !== undefined && signsIn(provider);
  const authorization = {
    params: { scope: provider.defaultScopes.join(" "), ...provider.authorizationParams },
  };
  // PKCE binds the code to this browser; state also rejects a callback this browser never started.
  const checks: ("pkce" | "state")[] = ["pkce", "state"];
  // The whole token response reaches the adapter (Auth.js would keep only the standard fields and
  // drop GitHub Apps' refresh_token_expires_in); lib/connected-accounts/token-response.ts picks columns.
  const account = (tokens: object) => ({ ...tokens });
  const profile = async (raw: object, tokens: { access_token?: string }) => {
    const fields = raw as Record<string, unknown>;
    const shown = provider.accountProfile(fields);
    return {
      id: String(fields.sub ?? fields.id),
      name: shown.displayName ?? null,
      image: shown.avatarUrl ?? null,
      email: (await verifiedEmail(provider, fields, tokens.access_token)) ?? null,
      // Auth.js hands this object, not the raw profile, to events.linkAccount below.
      accountProfile: shown,
    };
  };
  return provider.authJsProvider(provider, {
    clientId,
    clientSecret,
    authorization,
    checks,
    allowDangerousEmailAccountLinking,
    profile,
    account,
  });
}
