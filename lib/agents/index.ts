// What the app (app/, components/) may use of lib/agents: the authorization server for MCP
// clients, the MCP server at /mcp, and the grants users give agents (docs/agents.md).
export {
  agentEndpoints,
  appOrigin,
  authorizationServerMetadata,
  protectedResourceMetadata,
  CONSENT_PATH,
} from "./endpoints";
export { agentRoute, preflight } from "./http";
export { handleMcpRequest } from "./mcp-server";
export { handleRegistration, handleRevocation, handleTokenRequest } from "./oauth-endpoints";
export { listAgentGrants, revokeAgentGrant, type AgentGrantSummary } from "./grants";
export { AGENT_TOOLS, availableAgentTools, providerLabels, toolProviders, type AgentToolDefinition } from "./tools";
export {
  approveAuthorization,
  checkAuthorizationRequest,
  consentPath,
  denialRedirect,
  type AuthorizationRequest,
} from "./authorize";
