/**
 * Whether `value` is an https: URL, or an http: URL on this machine. Plain http is acceptable only
 * on loopback: the sandbox identity provider must never serve a deployed site, and webhooks carry
 * account events that must not cross a network in the clear.
 */
export function isHttpsOrLoopback(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  if (url.protocol !== "http:") return false;
  return url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}
