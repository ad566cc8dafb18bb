import "server-only";
import { z } from "zod";
import { changeWithEvents } from "../connected-accounts";
import { log } from "../log";
import { failure, type Result } from "../result";
import { resolveClient, type AgentClient } from "./clients";
import { agentEndpoints, CONSENT_PATH } from "./endpoints";
import { saveAgentGrant } from "./grants";
import { newId } from "./secrets";
import { issueCode } from "./tokens";
import { availableAgentTools } from "./tools";

/** An authorization request that passed every check: what the consent page shows and approves. */
export type AuthorizationRequest = {
  client: AgentClient;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  state: string | undefined;
};

/**
 * A refused request. With `redirectTo`, the error goes back to the agent (RFC 6749 section
 * 4.1.2.1); without, the client or its redirect URI cannot be trusted, and the page says why.
 */
export type AuthorizationRefusal = { code: string; detail: string; redirectTo?: string };

const param = z.string().max(2000);
const authorizationParams = z.object({
  response_type: param.optional(),
  client_id: param.min(1),
  redirect_uri: param.min(1),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  resource: param.optional(),
  scope: param.optional(),
  state: z.string().max(1000).optional(),
});

/**
 * Checks an authorization request (its query, each parameter once) against the client's
 * registration and this server's rules: the registered redirect URI exactly, response_type code,
 * PKCE with S256 (none or plain is refused), and this server's /mcp as the resource (RFC 8707;
 * the default when omitted).
 */
export async function checkAuthorizationRequest(
  query: URLSearchParams,
  origin: string,
): Promise<Result<{ request: AuthorizationRequest }, string, AuthorizationRefusal>> {
  const refuse = (code: string, detail: string, redirectTo?: string) => {
    log.warn("agent.refused", { code, reason: `authorization: ${detail}` });
    return failure(code, detail, redirectTo ? { redirectTo } : {});
  };
  const repeated = [...new Set(query.keys())].find((name) => query.getAll(name).length > 1);
  if (repeated) return refuse("invalid_request", `${repeated} is given twice`);
  const parsed = authorizationParams.safeParse(Object.fromEntries(query));
  if (!parsed.success) return refuse("invalid_request", "client_id and redirect_uri are required");
  const params = parsed.data;

  const resolved = await resolveClient(params.client_id);
  if (!resolved.ok) return refuse(resolved.error.code, resolved.error.detail);
  const { client } = resolved;
  if (!client.redirectUris.includes(params.redirect_uri))
    return refuse("invalid_request", "redirect_uri is not one the client registered");

  // From here on, errors go back to the agent.
  const back = (code: string, detail: string) =>
    refuse(code, detail, errorRedirect(params.redirect_uri, code, detail, params.state, origin));
  if (params.response_type !== "code") return back("unsupported_response_type", "response_type must be code");
  if (!params.code_challenge) return back("invalid_request", "PKCE is required: code_challenge is missing");
  if (params.code_challenge_method !== "S256")
    return back("invalid_request", "PKCE code_challenge_method must be S256");
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge))
    return back("invalid_request", "code_challenge is not a base64url SHA-256");
  const resource = params.resource ?? agentEndpoints(origin).resource;
  if (resource !== agentEndpoints(origin).resource)
    return back("invalid_target", "this server authorizes its /mcp resource only");
  return {
    ok: true,
    request: {
      client,
      redirectUri: params.redirect_uri,
      codeChallenge: params.code_challenge,
      resource,
      state: params.state,
    },
  };
}

/** The consent page's own path and query for a request, as the page was opened. */
export function consentPath(query: URLSearchParams): string {
  return `${CONSENT_PATH}?${query}`;
}

/**
 * The user approved: the grant is saved with the tools and accounts they left ticked (tools this
 * server does not offer, and accounts not theirs, are dropped), and the agent is sent its code.
 */
export async function approveAuthorization(
  userId: string,
  request: AuthorizationRequest,
  choice: { tools: string[]; accountIds: string[] },
  origin: string,
): Promise<string> {
  const offered = availableAgentTools().map((tool) => tool.name);
  const tools = choice.tools.filter((tool) => offered.includes(tool));
  const code = await changeWithEvents(async (tx, record) => {
    const grantId = await saveAgentGrant(tx, record, {
      id: newId("grant"),
      userId,
      client: request.client,
      tools,
      accountIds: choice.accountIds,
    });
    return issueCode(tx, {
      grantId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      resource: request.resource,
    });
  });
  const url = new URL(request.redirectUri);
  url.searchParams.set("code", code);
  if (request.state !== undefined) url.searchParams.set("state", request.state);
  url.searchParams.set("iss", agentEndpoints(origin).issuer);
  return url.href;
}

/** The user said no: access_denied goes back to the agent. */
export function denialRedirect(request: AuthorizationRequest, origin: string): string {
  return errorRedirect(request.redirectUri, "access_denied", "the user did not allow access", request.state, origin);
}

function errorRedirect(redirectUri: string, code: string, detail: string, state: string | undefined, origin: string) {
  const url = new URL(redirectUri);
  url.searchParams.set("error", code);
  url.searchParams.set("error_description", detail);
  if (state !== undefined) url.searchParams.set("state", state);
  url.searchParams.set("iss", agentEndpoints(origin).issuer);
  return url.href;
}
