import "server-only";
import type { NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { recordSignIn } from "../connected-accounts/record-sign-in";
import { getDb } from "../db";
import { getEnv } from "../env";
import { findProvider, getConfiguredProviders, type ConfiguredProvider } from "../providers";
import { createAdapter } from "./adapter";
import { decideEmailLinking, providerVerifiedEmail } from "./linking-policy";

export function buildAuthConfig(): NextAuthConfig {
  const env = getEnv();
  const db = getDb();
  const providers = getConfiguredProviders();
  return {
    adapter: createAdapter(db),
    session: { strategy: "database" },
    secret: env.AUTH_SECRET,
    providers: providers.map(toAuthJsProvider),
    pages: { signIn: "/sign-in", error: "/auth-error" },
    callbacks: {
      async signIn({ user, account, profile }) {
        const provider = account && findProvider(providers, account.provider);
        if (!account || !provider || !user.email) return true;
        const linked = await db.account.findUnique({
          where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
          select: { id: true },
        });
        if (linked) return true;
        const verified = await providerVerifiedEmail(provider, user.email, profile ?? {}, account.access_token);
        const decision = await decideEmailLinking(db, provider, user.email, verified);
        return decision === "allow" ? true : "/sign-in?error=OAuthAccountNotLinked";
      },
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
    events: {
      async signIn({ user, account, profile, isNewUser }) {
        const provider = account && findProvider(providers, account.provider);
        if (!account || !provider) return;
        await recordSignIn(db, account, provider.accountProfile(profile ?? {}));
        // Remember that a trusted provider vouched for a new user's email: only such users can be
        // joined automatically by a later sign-in with another provider (lib/auth/linking-policy).
        if (isNewUser && user.id && user.email && (await providerVerifiedEmail(provider, user.email, profile ?? {}, account.access_token))) {
          await db.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
        }
      },
    },
  };
}

function toAuthJsProvider(provider: ConfiguredProvider) {
  const { clientId, clientSecret } = provider;
  // Auth.js may join accounts by email; the signIn callback above decides when (linking-policy.ts).
  const allowDangerousEmailAccountLinking = provider.emailLinking !== "never";
  const authorization = {
    params: { scope: provider.defaultScopes.join(" "), ...provider.authorizationParams },
  };
  // PKCE binds the code to this browser; state also rejects a callback this browser never started.
  const checks: ("pkce" | "state")[] = ["pkce", "state"];
  switch (provider.id) {
    case "google":
      return Google({ clientId, clientSecret, issuer: provider.urls.issuer, authorization, checks, allowDangerousEmailAccountLinking });
    case "github":
      return GitHub({
        clientId,
        clientSecret,
        authorization,
        checks,
        allowDangerousEmailAccountLinking,
        // The sandbox speaks GitHub Enterprise's URL layout: {base}/login/oauth/* and {base}/api/v3/*.
        enterprise: provider.sandbox ? { baseUrl: provider.urls.issuer.replace(/\/login\/oauth$/, "") } : undefined,
      });
  }
}
