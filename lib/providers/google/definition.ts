import { stringField, type GrantEnd, type ProviderDefinition } from "../types";

export const googleDefinition = {
  id: "google",
  label: "Google",
  icon: {
    color: "#4285F4",
    path: "M12.48 10.92v3.28h7.84c-.24 1.84-.85 3.18-1.73 4.1-1.08 1.08-2.77 2.26-5.7 2.26-4.64 0-8.27-3.74-8.27-8.38s3.63-8.38 8.27-8.38c2.5 0 4.34.98 5.69 2.26l2.31-2.31C18.93 1.87 16.3.5 12.48.5 5.86.5.34 5.89.34 12.5s5.52 12 12.14 12c3.58 0 6.28-1.17 8.39-3.38 2.17-2.17 2.84-5.22 2.84-7.67 0-.76-.05-1.47-.17-2.05z",
  },
  protocol: "oidc",
  defaultScopes: ["openid", "email", "profile"],
  // A refresh token is only issued with offline access; include_granted_scopes makes
  // every later authorization add to the grant instead of replacing it.
  authorizationParams: { access_type: "offline", include_granted_scopes: "true" },
  newRefreshTokenParams: { prompt: "consent" },
  // Asks Google to sign the user in again; the ID token then says when (auth_time).
  reauthenticationParams: { max_age: "0" },
  supportsIncrementalScopes: true,
  scopeLabels: {
    openid: "Know who you are on Google",
    email: "See your email address",
    profile: "See your name and profile picture",
    "https://www.googleapis.com/auth/drive.readonly": "See and download your Google Drive files",
    "https://www.googleapis.com/auth/drive.metadata.readonly": "See the names and details of your Google Drive files",
    "https://www.googleapis.com/auth/calendar.readonly": "See your Google Calendar events",
    "https://www.googleapis.com/auth/gmail.labels": "See and manage your Gmail labels",
  },
  scopeAliases: {
    "https://www.googleapis.com/auth/userinfo.email": "email",
    "https://www.googleapis.com/auth/userinfo.profile": "profile",
  },
  credentialsEnv: { id: "AUTH_GOOGLE_ID", secret: "AUTH_GOOGLE_SECRET", client: "OAuth client" },
  sandboxClient: { id: "sandbox-google", secret: "sandbox-google-secret" },
  endpoints: {
    production: {
      issuer: "https://accounts.google.com",
      authorization: "https://accounts.google.com/o/oauth2/v2/auth",
      token: "https://oauth2.googleapis.com/token",
      revocation: "https://oauth2.googleapis.com/revoke",
      api: "https://www.googleapis.com",
    },
    sandbox: (base) => ({
      issuer: `${base}/google`,
      authorization: `${base}/google/auth`,
      token: `${base}/google/token`,
      revocation: `${base}/google/revoke`,
      api: `${base}/google-api`,
    }),
  },
  unusedGrantDays: 180,
  grantEnd: googleGrantEnd,
  accountProfile: (profile) => ({
    email: stringField(profile, "email"),
    displayName: stringField(profile, "name"),
    avatarUrl: stringField(profile, "picture"),
  }),
  manageAccessUrl: "https://myaccount.google.com/connections",
} as const satisfies ProviderDefinition;

/**
 * Google adds to RFC 6749's errors: Workspace session control (`invalid_grant` with `error_subtype:
 * "invalid_rapt"`: sign in to Google again), and an administrator's block, `admin_policy_enforced`.
 */
function googleGrantEnd(error: string, errorSubtype?: string): GrantEnd | undefined {
  if (error === "invalid_grant" && errorSubtype === "invalid_rapt") {
    return { reason: "reauth_required", error, errorSubtype };
  }
  if (error === "admin_policy_enforced") {
    return { reason: "admin_policy_enforced", error, ...(errorSubtype ? { errorSubtype } : {}) };
  }
  return undefined;
}
