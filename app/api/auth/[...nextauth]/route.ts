import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;

/**
 * Auth.js answers any other method with a 400 and an error in the log; Next.js would hand it HEADs
 * (uptime checkers send them). They get a plain 405 instead: /api/health is the endpoint to check.
 */
export function HEAD(): Response {
  return new Response(null, { status: 405, headers: { Allow: "GET, POST", "Cache-Control": "no-store" } });
}
