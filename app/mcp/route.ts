import { agentRoute, handleMcpRequest, preflight } from "@/lib/agents";

export const dynamic = "force-dynamic";

/** The MCP server (Streamable HTTP) for agents the user authorized (docs/agents.md). */
const handler = agentRoute(handleMcpRequest);

export const GET = handler;
export const POST = handler;
export const DELETE = handler;
export const OPTIONS = preflight;
