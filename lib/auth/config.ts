import "server-only";
import type { NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { recordSignIn } from "../connected-accounts/record-sign-in";
import { getDb } from "../db";
import { getEnv } from "../env";
import { findProvider, getConfiguredProviders, type ConfiguredProvider } from "../providers";
import { createAdapter } from "./adapter";

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
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
    events: {
      async signIn({ account, profile }) {
        const provider = account && findProvider(providers, account.provider);
        if (!account || !provider) return;
        await recordSignIn(db, account, provider.accountProfile(profile ?? {}));
      },
    },
  };
}

function toAuthJsProvider(provider: ConfiguredProvider) {
  const { clientId, clientSecret } = provider;
  const authorization = {
    params: { scope: provider.defaultScopes.join(" "), ...provider.authorizationParams },
  };
  switch (provider.id) {
    case "google":
      return Google({ clientId, clientSecret, issuer: provider.urls.issuer, authorization });
    case "github":
      return GitHub({
        clientId,
        clientSecret,
        authorization,
        // The sandbox speaks GitHub Enterprise's URL layout: {base}/login/oauth/* and {base}/api/v3/*.
        enterprise: provider.sandbox ? { baseUrl: provider.urls.issuer.replace(/\/login\/oauth$/, "") } : undefined,
      });
  }
}
