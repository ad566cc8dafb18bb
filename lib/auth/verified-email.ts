import "server-only";
import type { ConfiguredProvider } from "../providers";

/**
 * The email address the provider vouches for, lowercased, or undefined. Only such an address
 * becomes a user's email, and only such an address joins an existing user (lib/auth/config.ts).
 * How it is read is the provider's own (its `verifiedEmail`); a provider without one vouches for
 * none. Never throws: a provider that cannot be asked vouches for nothing.
 */
export async function verifiedEmail(
  provider: ConfiguredProvider,
  profile: Record<string, unknown>,
  accessToken: string | undefined,
): Promise<string | undefined> {
  if (!provider.verifiedEmail) return undefined;
  return provider.verifiedEmail(provider, profile, accessToken).catch(() => undefined);
}
