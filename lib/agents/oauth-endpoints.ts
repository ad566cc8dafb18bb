import "server-only";
import { z } from "zod";
import { log } from "../log";
import { takeRateLimit } from "../rate-limit";
import { registerClient } from "./clients";
import { agentEndpoints } from "./endpoints";
import { oauthError, oauthRateLimited } from "./http";
import { exchangeCode, refreshTokens, revokeToken, type TokenResult } from "./tokens";

/** Registrations, token and revocation requests are small forms or JSON; bigger ones are refused unread. */
const MAX_BODY_BYTES = 16 * 1024;

async function boundedText(request: Request): Promise<string | undefined> {
  const length = Number(request.headers.get("content-length") ?? Number.NaN);
  if (!Number.isFinite(length) || length > MAX_BODY_BYTES) return undefined;
  const text = await request.text();
  return text.length > MAX_BODY_BYTES ? undefined : text;
}

/**
 * POST /oauth/register: RFC 7591 Dynamic Client Registration (public clients only). Anyone may
 * register, so registrations are limited per minute for everyone together: a flood cannot fill the
 * database, and agents already registered (or known by a metadata document URL) are unaffected.
 */
export async function handleRegistration(request: Request): Promise<Response> {
  const limit = await takeRateLimit("anyone", "agent_registration");
  if (!limit.ok) {
    log.warn("agent.refused", { code: "rate_limited", reason: `registration: ${limit.error.detail}` });
    return oauthRateLimited("too many registrations; try again shortly", limit.error.retryAfterSeconds);
  }
  const text = await boundedText(request);
  if (text === undefined) return oauthError(413, "invalid_client_metadata", `at most ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return oauthError(400, "invalid_client_metadata", "the body is not JSON");
  }
  const registered = await registerClient(body);
  if (!registered.ok) {
    log.warn("agent.refused", { code: registered.error.code, reason: `registration: ${registered.error.detail}` });
    return oauthError(400, registered.error.code, registered.error.detail);
  }
  return Response.json(registered.registration, { status: 201 });
}

const text = z.string().min(1).max(4096);
const tokenRequest = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: text,
    redirect_uri: text,
    client_id: text,
    code_verifier: text,
    resource: text.optional(),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: text,
    client_id: text,
    resource: text.optional(),
    scope: text.optional(),
  }),
]);

/** POST /oauth/token: the authorization code grant (PKCE S256) and the refresh token grant, with rotation. */
export async function handleTokenRequest(request: Request, origin: string): Promise<Response> {
  const body = await formFields(request);
  if (!body) return oauthError(400, "invalid_request", "expected a form (application/x-www-form-urlencoded)");
  if (body.grant_type !== "authorization_code" && body.grant_type !== "refresh_token")
    return oauthError(400, "unsupported_grant_type", "authorization_code or refresh_token");
  const parsed = tokenRequest.safeParse(body);
  if (!parsed.success) return oauthError(400, "invalid_request", "a required parameter is missing or too long");
  const input = parsed.data;
  if (input.resource !== undefined && input.resource !== agentEndpoints(origin).resource)
    return oauthError(400, "invalid_target", "this server issues tokens for its /mcp resource only");
  const result: TokenResult =
    input.grant_type === "authorization_code"
      ? await exchangeCode({
          code: input.code,
          clientId: input.client_id,
          redirectUri: input.redirect_uri,
          codeVerifier: input.code_verifier,
          resource: input.resource,
        })
      : await refreshTokens({ refreshToken: input.refresh_token, clientId: input.client_id, resource: input.resource });
  if (!result.ok) {
    log.warn("agent.refused", {
      code: result.error.code,
      reason: `token (${input.grant_type}): ${result.error.detail}`,
    });
    return oauthError(400, result.error.code, result.error.detail);
  }
  return Response.json(result.tokens, { headers: { pragma: "no-cache" } });
}

/** POST /oauth/revoke: RFC 7009, for the agent's own tokens. 200 whatever the token was. */
export async function handleRevocation(request: Request): Promise<Response> {
  const body = await formFields(request);
  const parsed = z.object({ token: text, client_id: text }).safeParse(body);
  if (!parsed.success) return oauthError(400, "invalid_request", "token and client_id are required");
  await revokeToken(parsed.data.token, parsed.data.client_id);
  return new Response(null, { status: 200 });
}

/**
 * The form's fields, each once; undefined for another content type, an oversized body, or a
 * field given twice (RFC 6749 section 3.2 forbids repeating one).
 */
async function formFields(request: Request): Promise<Record<string, string> | undefined> {
  if (!(request.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) return undefined;
  const body = await boundedText(request);
  if (body === undefined) return undefined;
  const params = new URLSearchParams(body);
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in fields) return undefined;
    fields[name] = value;
  }
  return fields;
}
