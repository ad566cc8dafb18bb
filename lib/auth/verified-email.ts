import "server-only";
import type { ConfiguredProvider } from "../providers";
import { PROVIDER_TIMEOUT_MS } from "../providers";

/**
 * The email address the provider vouches for, lowercased, or undefined. Only such an address
 * becomes a user's email, and only such an address joins an existing user (lib/auth/config.ts).
 * - "verified-email" (OIDC, Google): the `email` claim with `email_verified: true`;
 * - "verified-primary-email" (GitHub): the primary address `/user/emails` marks verified;
 * - "never": none.
 * Never throws: a provider that cannot be asked vouches for nothing.
 */
export async function verifiedEmail(
  provider: ConfiguredProvider,
  profile: Record<string, unknown>,
  accessToken: string | undefined,
): Promise<string | undefined> {
  switch (provider.emailLinking) {
    case "verified-email":
      return profile.email_verified === true && typeof profile.email === "string"
        ? profile.email.toLowerCase()
        : undefined;
    case "verified-primary-email": {
      if (!accessToken) return undefined;
      const response = await fetch(`${provider.urls.api}/user/emails`, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/json",
          "user-agent": "connected-accounts-starter",
        },
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      }).catch(() => undefined);
      const emails: unknown = response?.ok ? await response.json().catch(() => undefined) : undefined;
      if (!Array.isArray(emails)) return undefined;
      const primary = emails.find(
        (entry) => entry?.primary === true && entry?.verified === true && typeof entry.email === "string",
      );
      return primary ? String(primary.email).toLowerCase() : undefined;
    }
    case "never":
      return undefined;
  }
}
