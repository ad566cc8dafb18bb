import "server-only";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { UrlElicitationRequiredError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { log } from "../log";
import { agentEndpoints, AGENT_SCOPE } from "./endpoints";
import { authenticateAgentCall, noteAgentUse, type AgentAccess } from "./grants";
import { oauthRateLimited } from "./http";
import { availableAgentTools, runAgentTool, toolArguments, type ToolArguments } from "./tools";

/** A JSON-RPC request to /mcp is a few hundred bytes; anything near this is not a tool call we serve. */
export const MAX_MCP_REQUEST_BYTES = 16 * 1024;

const SERVER_INFO = { name: "connected-accounts", version: "0.1.0" };

/**
 * One JSON Schema validator for every request's server. Left to itself, each McpServer builds an
 * Ajv instance of its own: a third of a tool call's overhead, for schemas that never change.
 */
const schemaValidator = new AjvJsonSchemaValidator();

/**
 * /mcp: the MCP server (Streamable HTTP, stateless: one server per request, so a revoked grant is
 * refused on the very next request). The bearer token comes only from the Authorization header.
 */
export async function handleMcpRequest(request: Request, origin: string): Promise<Response> {
  const urls = agentEndpoints(origin);
  const challenge = (error?: string, description?: string) => {
    const parts = [`resource_metadata="${urls.protectedResourceMetadata}"`, `scope="${AGENT_SCOPE}"`];
    if (error) parts.push(`error="${error}"`);
    if (description) parts.push(`error_description="${description}"`);
    return `Bearer ${parts.join(", ")}`;
  };
  const url = new URL(request.url);
  // RFC 6750 allows a token in the query; a URL ends up in logs and histories, so it is refused.
  if (url.searchParams.has("access_token")) {
    return Response.json(
      { error: "invalid_request", error_description: "send the token in the Authorization header, not the URL" },
      { status: 400, headers: { "www-authenticate": challenge("invalid_request") } },
    );
  }
  const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) {
    return new Response(null, { status: 401, headers: { "www-authenticate": challenge() } });
  }
  const authenticated = await authenticateAgentCall(token, urls.resource);
  if (!authenticated.ok && authenticated.error.code === "rate_limited") {
    return oauthRateLimited("too many requests from this agent", authenticated.error.retryAfterSeconds);
  }
  if (!authenticated.ok) {
    log.warn("agent.refused", { code: "invalid_token", reason: `/mcp: ${authenticated.error.detail}` });
    return Response.json(
      { error: "invalid_token", error_description: authenticated.error.detail },
      { status: 401, headers: { "www-authenticate": challenge("invalid_token", authenticated.error.detail) } },
    );
  }
  const { access } = authenticated;
  // Stateless: no stream to resume (GET) and no session to end (DELETE); the spec allows 405 for both.
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (!Number.isFinite(length) || length > MAX_MCP_REQUEST_BYTES) {
    return Response.json(
      {
        jsonrpc: "2.0",
        id: null,
        error: { code: -32600, message: `requests are limited to ${MAX_MCP_REQUEST_BYTES} bytes` },
      },
      { status: 413 },
    );
  }

  const server = agentServer(access, origin);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  return transport.handleRequest(request);
}

/** The MCP server for one agent: only the tools the user allowed it. */
function agentServer(access: AgentAccess, origin: string): McpServer {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} }, jsonSchemaValidator: schemaValidator });
  for (const tool of availableAgentTools().filter((candidate) => access.tools.includes(candidate.name))) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: toolArguments,
        annotations: { readOnlyHint: true, openWorldHint: tool.providers.length > 0 },
        _meta: { providerScopes: { providers: [...tool.providers], scopes: [...tool.scopes] } },
      },
      async (args: ToolArguments): Promise<CallToolResult> => {
        const outcome = await runAgentTool(tool, args, access, origin);
        if (outcome.kind === "user_action") {
          // The 2025-11-25 answer to "the user must do something first": URL elicitation.
          throw new UrlElicitationRequiredError(
            [{ mode: "url", message: outcome.message, url: outcome.url, elicitationId: randomUUID() }],
            `${outcome.message} Open ${outcome.url}`,
          );
        }
        if (outcome.kind === "refused") return { isError: true, content: [{ type: "text", text: outcome.message }] };
        await noteAgentUse(access, tool.name, outcome.accountIds);
        return { content: [{ type: "text", text: JSON.stringify(outcome.data) }] };
      },
    );
  }
  return server;
}
