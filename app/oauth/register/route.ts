import { agentRoute, handleRegistration, preflight } from "@/lib/agents";

/** RFC 7591 Dynamic Client Registration for MCP clients (docs/agents.md). */
export const POST = agentRoute(handleRegistration);
export const OPTIONS = preflight;
