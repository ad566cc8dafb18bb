import { headNotAllowed } from "@/lib/http";
import { agentRoute, authorizationServerMetadata, preflight } from "@/lib/agents";

/** RFC 8414 authorization server metadata, for MCP clients (docs/agents.md). */
export const GET = agentRoute(async (_request, origin) => Response.json(authorizationServerMetadata(origin)));
export const OPTIONS = preflight;

/** Not the GET handler, which Next.js would run for a HEAD (app/route-handlers.test.ts). */
export const HEAD = headNotAllowed();
