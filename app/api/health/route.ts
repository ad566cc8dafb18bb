import { jsonResponse } from "@/lib/http";
import { databaseAnswers } from "@/lib/health";

export const dynamic = "force-dynamic";

/**
 * GET or HEAD /api/health — for uptime checkers and load balancers: 200 `{"status":"ok"}` when the
 * server runs and its database answers within 2 s, else 503 `{"status":"unavailable"}`. Never cached;
 * says nothing else (see docs/deploying.md#health-checks).
 */
export async function GET(): Promise<Response> {
  return (await databaseAnswers()) ? jsonResponse({ status: "ok" }) : jsonResponse({ status: "unavailable" }, 503);
}

export const HEAD = GET;
