import "server-only";
import { getEnv } from "../env";

/** Access tokens live an hour at most (the MCP authorization spec asks for short ones). */
export const ACCESS_TOKEN_SECONDS = 60 * 60;
/** A refresh token is good once, within this many days. */
export const REFRESH_TOKEN_DAYS = 30;
/** An authorization code is exchanged within a minute, or not at all. */
export const CODE_SECONDS = 60;

/** The one scope agents ask for: calling the tools the user allowed on the consent page. */
export const AGENT_SCOPE = "mcp:tools";

export const MCP_PATH = "/mcp";
export const CONSENT_PATH = "/oauth/authorize";

/**
 * The app's public origin: AUTH_URL's when set (as it must be in production), else the request's
 * (`npm run dev` sets AUTH_URL too). The issuer and the MCP resource are built from it, so a token
 * minted for one origin is refused at another.
 */
export function appOrigin(requestUrl: string | URL): string {
  const authUrl = getEnv().AUTH_URL;
  return new URL(authUrl ?? requestUrl).origin;
}

/** Every URL an MCP client discovers, for the app at `origin`. */
export function agentEndpoints(origin: string) {
  return {
    issuer: origin,
    resource: `${origin}${MCP_PATH}`,
    authorization: `${origin}${CONSENT_PATH}`,
    token: `${origin}/oauth/token`,
    registration: `${origin}/oauth/register`,
    revocation: `${origin}/oauth/revoke`,
    protectedResourceMetadata: `${origin}/.well-known/oauth-protected-resource${MCP_PATH}`,
  };
}

/** RFC 8414 authorization server metadata. */
export function authorizationServerMetadata(origin: string) {
  const urls = agentEndpoints(origin);
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorization,
    token_endpoint: urls.token,
    registration_endpoint: urls.registration,
    revocation_endpoint: urls.revocation,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    scopes_supported: [AGENT_SCOPE],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/** RFC 9728 protected resource metadata for /mcp. */
export function protectedResourceMetadata(origin: string) {
  const urls = agentEndpoints(origin);
  return {
    resource: urls.resource,
    authorization_servers: [urls.issuer],
    bearer_methods_supported: ["header"],
    scopes_supported: [AGENT_SCOPE],
    resource_name: "Connected accounts",
  };
}
