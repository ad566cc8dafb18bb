import "server-only";
import type { PrismaClient } from "@prisma/client";
import { cookies } from "next/headers";
import type { ConfiguredProvider } from "../providers";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export type LinkDecision = "allow" | "refuse";

/**
 * Whether a sign-in with an account that is not linked yet, whose email belongs to an existing
 * user, may join that user. Explicit linking (signed in) is always allowed; automatic linking
 * only when this provider vouches for the email (`emailLinking` in the registry) AND the
 * existing user's email was itself verified, so an unverified account cannot pre-claim an
 * address and collect the victim's later sign-ins.
 */
export async function decideEmailLinking(
  db: PrismaClient,
  provider: ConfiguredProvider,
  email: string,
  emailVerifiedByProvider: boolean,
): Promise<LinkDecision> {
  if (await hasSession(db)) return "allow";
  const existing = await db.user.findUnique({ where: { email }, select: { emailVerified: true } });
  if (!existing) return "allow";
  return provider.emailLinking !== "never" && emailVerifiedByProvider && existing.emailVerified ? "allow" : "refuse";
}

async function hasSession(db: PrismaClient): Promise<boolean> {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!token) return false;
  const session = await db.session.findUnique({ where: { sessionToken: token }, select: { expires: true } });
  return Boolean(session && session.expires > new Date());
}

/** Does the provider assert that `email` is verified (GitHub: the verified primary address)? */
export async function providerVerifiedEmail(
  provider: ConfiguredProvider,
  email: string,
  profile: Record<string, unknown>,
  accessToken: string | undefined,
): Promise<boolean> {
  switch (provider.emailLinking) {
    case "verified-email":
      return profile.email_verified === true && profile.email === email;
    case "verified-primary-email": {
      if (!accessToken) return false;
      const response = await fetch(`${provider.urls.api}/user/emails`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "connected-accounts-starter" },
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      if (!response?.ok) return false;
      const emails = (await response.json()) as { email: string; primary: boolean; verified: boolean }[];
      return emails.some((entry) => entry.primary && entry.verified && entry.email.toLowerCase() === email.toLowerCase());
    }
    case "never":
      return false;
  }
}
