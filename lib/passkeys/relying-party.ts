import "server-only";
import { getEnv } from "../env";

/** Who passkeys are made for: the RP ID (a host name) and the one origin answers must come from. */
export type RelyingParty = { id: string; origin: string; name: string };

const RP_NAME = "Connected accounts";

/**
 * Taken from AUTH_URL, never from a request's Host header (which a proxy or an attacker sets).
 * Browsers allow WebAuthn on https, and on http only for localhost; an IP address is no RP ID.
 * Without such an AUTH_URL there are no passkeys, and the settings page says why.
 */
export function relyingParty(authUrl: string | undefined = getEnv().AUTH_URL): RelyingParty | undefined {
  if (!authUrl) return undefined;
  const url = new URL(authUrl);
  const secure = url.protocol === "https:" || (url.protocol === "http:" && url.hostname === "localhost");
  const ipAddress = /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith("[");
  if (!secure || ipAddress) return undefined;
  return { id: url.hostname, origin: url.origin, name: RP_NAME };
}
