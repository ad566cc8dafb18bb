import { agentRoute, handleTokenRequest, preflight } from "@/lib/agents";

/** The token endpoint for MCP clients (docs/agents.md). */
export const POST = agentRoute(handleTokenRequest);
export const OPTIONS = preflight;
