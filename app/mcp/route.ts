import { headNotAllowed } from "@/lib/http";
import { agentRoute, handleMcpRequest, preflight } from "@/lib/agents";

export const dynamic = "force-dynamic";

/** The MCP server (Streamable HTTP) for agents the user authorized (docs/agents.md). */
const handler = agentRoute(handleMcpRequest);

export const GET = handler;
export const POST = handler;
export const DELETE = handler;
export const OPTIONS = preflight;

/** Not the GET handler, which Next.js would run for a HEAD (app/route-handlers.test.ts). */
export const HEAD = headNotAllowed();
