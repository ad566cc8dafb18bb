/**
 * In development, where to send a page request that arrived at another loopback name than the
 * app's own (http://127.0.0.1:3000 when the app is http://localhost:3000), or undefined to serve it.
 *
 * Why: Auth.js builds OAuth redirect URIs from AUTH_URL (without it, from the URL Next.js
 * normalises 127.0.0.1 to: localhost), while the cookies that carry a sign-in's state belong to the
 * name the browser used. Started at one name, a sign-in comes back to the other, finds no cookies
 * and fails. Only loopback names on both sides, only GET and HEAD, only to the app's own origin:
 * never an open redirect, and a deployment behind a proxy (any other Host) is never touched.
 */
export function devAddressRedirect(request: {
  method: string;
  /** The Host header, as the browser sent it. */
  host: string | null;
  /** The request's path and query, e.g. "/sign-in?callbackUrl=%2F". */
  pathAndQuery: string;
  protocol: string;
  /** AUTH_URL, when set. */
  authUrl: string | undefined;
}): URL | undefined {
  const { method, host, pathAndQuery, protocol, authUrl } = request;
  if ((method !== "GET" && method !== "HEAD") || !host || !URL.canParse(`${protocol}//${host}`)) return undefined;
  const asked = new URL(`${protocol}//${host}`);
  if (!isLoopback(asked.hostname)) return undefined;
  const own = authUrl && URL.canParse(authUrl) ? new URL(authUrl) : new URL(`${protocol}//localhost:${asked.port}`);
  if (!isLoopback(own.hostname) || own.host === asked.host) return undefined;
  // Only the path and query are taken from the request: the origin is always the app's own.
  const asGiven = new URL(pathAndQuery, own.origin);
  const target = new URL(own.origin);
  target.pathname = asGiven.pathname;
  target.search = asGiven.search;
  return target;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The answer to such a request: a page that moves on to `target` at once (a meta refresh) and says
 * why; its empty icon keeps the browser from asking this address for /favicon.ico (a 404). Not a 307: Next.js rewrites a Location on the host it normalises to into a relative one,
 * which would send the browser back to the address it came from.
 */
export function devAddressPage(target: URL): string {
  const href = escapeHtml(target.href);
  const origin = escapeHtml(target.origin);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${href}">
<link rel="icon" href="data:,">
<title>Open ${origin}</title></head>
<body><p>In development this app is at ${origin}: sign-in cookies belong to one host name.
Open <a href="${href}">${href}</a>.</p></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
