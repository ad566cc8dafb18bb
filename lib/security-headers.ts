/**
 * The security headers of every response. Scripts run only with this request's nonce (Next.js
 * reads it from the request's Content-Security-Policy and puts it on its own scripts), never
 * inline or eval in production; nothing may frame the app.
 */
export type SecurityHeaderOptions = {
  nonce: string;
  /**
   * `next dev` needs eval for React's debugging, and its overlay and dev tools set inline styles
   * (a nonce would make browsers ignore 'unsafe-inline'). Production keeps both strict.
   */
  development: boolean;
  /** Served over https: upgrade stray http requests and pin https with HSTS. */
  https: boolean;
  /**
   * Origins a form may navigate to: sign-in and connect forms redirect to the providers'
   * authorization pages, and browsers apply form-action to those redirects.
   */
  formActionOrigins: readonly string[];
};

export function securityHeaders({
  nonce,
  development,
  https,
  formActionOrigins,
}: SecurityHeaderOptions): Record<string, string> {
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // Avatars come from the providers' CDNs (and data: URLs from the sandbox).
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Providers may share an origin (the sandbox serves both Google and GitHub).
    `form-action 'self' ${[...new Set(formActionOrigins)].join(" ")}`.trim(),
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

  return {
    "Content-Security-Policy": policy,
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
