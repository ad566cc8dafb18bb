import { agentRoute, handleRevocation, preflight } from "@/lib/agents";

/** RFC 7009 token revocation for MCP clients (docs/agents.md). */
export const POST = agentRoute(handleRevocation);
export const OPTIONS = preflight;
