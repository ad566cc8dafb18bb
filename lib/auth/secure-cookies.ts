import "server-only";
import { getEnv } from "../env";

/**
 * Whether cookies are `Secure` and `__Secure-`/`__Host-` prefixed. Decided once, from the
 * configuration, and handed to Auth.js: left to itself, Auth.js decides per request from the
 * request's protocol, which a client can influence through X-Forwarded-Proto when the host is
 * trusted, and then reads its session from a different cookie than the one it wrote.
 */
export function usesSecureCookies(): boolean {
  const { AUTH_URL, NODE_ENV } = getEnv();
  return AUTH_URL ? AUTH_URL.startsWith("https:") : NODE_ENV === "production";
}
