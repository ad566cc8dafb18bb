import { stringField, type GrantEnd, type ProviderDefinition } from "../types";

// Works for both kinds of GitHub client: an OAuth App (tokens never expire, no refresh token)
// and a GitHub App (8-hour user tokens whose refresh token rotates on every refresh).
export const githubDefinition = {
  id: "github",
  label: "GitHub",
  icon: {
    color: "currentColor",
    path: "M12 .3a12 12 0 0 0-3.8 23.38c.6.12.83-.26.83-.57L9 21.07c-3.34.72-4.04-1.61-4.04-1.61-.55-1.39-1.34-1.76-1.34-1.76-1.08-.74.09-.73.09-.73 1.2.09 1.83 1.24 1.83 1.24 1.07 1.83 2.8 1.3 3.49 1 .1-.78.42-1.31.76-1.61-2.67-.3-5.47-1.33-5.47-5.93 0-1.31.47-2.38 1.24-3.22-.14-.3-.54-1.52.1-3.18 0 0 1-.32 3.3 1.23a11.5 11.5 0 0 1 6 0c2.28-1.55 3.29-1.23 3.29-1.23.64 1.66.24 2.88.12 3.18a4.65 4.65 0 0 1 1.23 3.22c0 4.61-2.8 5.63-5.48 5.92.42.36.81 1.1.81 2.22l-.01 3.29c0 .31.2.69.82.57A12 12 0 0 0 12 .3",
  },
  protocol: "oauth2",
  defaultScopes: ["read:user", "user:email"],
  authorizationParams: {},
  newRefreshTokenParams: {},
  // GitHub has no forced re-login; the account chooser at least needs the user.
  reauthenticationParams: { prompt: "select_account" },
  supportsIncrementalScopes: false,
  scopeLabels: {
    "read:user": "See your GitHub profile",
    "user:email": "See your email addresses",
    repo: "Full access to your repositories",
    public_repo: "Access your public repositories",
  },
  scopeAliases: {},
  credentialsEnv: { id: "AUTH_GITHUB_ID", secret: "AUTH_GITHUB_SECRET", client: "OAuth App or GitHub App client" },
  sandboxClient: { id: "sandbox-github-app", secret: "sandbox-github-app-secret" },
  endpoints: {
    production: {
      issuer: "https://github.com/login/oauth",
      authorization: "https://github.com/login/oauth/authorize",
      token: "https://github.com/login/oauth/access_token",
      revocation: "https://api.github.com/applications/{client_id}/grant",
      api: "https://api.github.com",
    },
    sandbox: (base) => ({
      issuer: `${base}/github/login/oauth`,
      authorization: `${base}/github/login/oauth/authorize`,
      token: `${base}/github/login/oauth/access_token`,
      revocation: `${base}/github/api/v3/applications/{client_id}/grant`,
      api: `${base}/github/api/v3`,
    }),
  },
  grantEnd: githubGrantEnd,
  accountProfile: (profile) => ({
    email: stringField(profile, "email"),
    displayName: stringField(profile, "name") ?? stringField(profile, "login"),
    avatarUrl: stringField(profile, "avatar_url"),
  }),
  manageAccessUrl: "https://github.com/settings/applications",
} as const satisfies ProviderDefinition;

/** GitHub says `bad_refresh_token` (with HTTP 200) where RFC 6749 says `invalid_grant`. */
function githubGrantEnd(error: string, errorSubtype?: string): GrantEnd | undefined {
  return error === "bad_refresh_token"
    ? { reason: "expired_or_revoked", error, ...(errorSubtype ? { errorSubtype } : {}) }
    : undefined;
}
