/**
 * Keeps post-sign-in redirects on this site: only paths like "/settings". The value is resolved
 * as a browser would (tabs and newlines dropped, "." and ".." segments applied, %2e read as a dot),
 * and refused if the result is not on this origin or its path starts with "//": a browser reads
 * `Location: //evil.example` as another site. (Backslashes are refused outright, before parsing.)
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\\")) return "/";
  const base = "http://app.invalid";
  const url = URL.canParse(value, base) ? new URL(value, base) : undefined;
  if (url?.origin !== base || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
