import "server-only";
import type { Prisma } from "@prisma/client";
import { getDb } from "../db";
import { log } from "../log";
import { failure, type Result } from "../result";
import { ACCESS_TOKEN_SECONDS, AGENT_SCOPE, CODE_SECONDS, REFRESH_TOKEN_DAYS } from "./endpoints";
import { newId, newSecret, pkceMatches, secretHash } from "./secrets";

/** RFC 6749 and RFC 8707 error codes, as the token endpoint answers them. */
export type TokenErrorCode = "invalid_request" | "invalid_grant" | "invalid_client" | "invalid_target";

/** The token endpoint's answer (RFC 6749 section 5.1). */
export type TokenResponse = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
};

export type TokenResult = Result<{ tokens: TokenResponse }, TokenErrorCode>;

/** How long past its expiry a code is kept, to recognize its replay. */
const USED_CODE_DAYS = 1;

/**
 * A new authorization code for `grantId`, bound to the redirect URI, the PKCE challenge and the
 * resource. Codes a day past their minute go in the same statement: until then a replay of one
 * still ends the tokens it got; a replay later than that is refused as an unknown code.
 */
export async function issueCode(
  tx: Prisma.TransactionClient,
  code: { grantId: string; redirectUri: string; codeChallenge: string; resource: string },
): Promise<string> {
  const value = newSecret("agc");
  await tx.$executeRaw`
    WITH forgotten AS (
      DELETE FROM "AgentAuthorizationCode" WHERE "expiresAt" < now() - make_interval(days => ${USED_CODE_DAYS})
    )
    INSERT INTO "AgentAuthorizationCode" ("codeHash", "grantId", "redirectUri", "codeChallenge", resource, "expiresAt")
    VALUES (${secretHash(value)}, ${code.grantId}, ${code.redirectUri}, ${code.codeChallenge}, ${code.resource},
      now() + make_interval(secs => ${CODE_SECONDS}))`;
  return value;
}

/**
 * The authorization code grant: the code once, within its minute, by the client it was issued
 * to, with the same redirect URI, the PKCE verifier of its challenge, and its resource. A code used
 * a second time is refused, and the tokens its first use got end (RFC 6749 section 4.1.2).
 */
export async function exchangeCode(request: {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  resource: string | undefined;
}): Promise<TokenResult> {
  const db = getDb();
  const familyId = newId("fam");
  return db.$transaction(async (tx) => {
    const [code] = await tx.$queryRaw<
      {
        grantId: string;
        clientId: string;
        redirectUri: string;
        codeChallenge: string;
        resource: string;
        fresh: boolean;
      }[]
    >`
      UPDATE "AgentAuthorizationCode" AS code SET "usedAt" = now(), "familyId" = ${familyId}
      FROM "AgentGrant" AS grant_
      WHERE code."codeHash" = ${secretHash(request.code)} AND code."usedAt" IS NULL AND grant_.id = code."grantId"
      RETURNING code."grantId", grant_."clientId", code."redirectUri", code."codeChallenge", code.resource,
        code."expiresAt" > now() AS fresh`;
    if (!code) {
      const replayed = await tx.agentAuthorizationCode.findUnique({ where: { codeHash: secretHash(request.code) } });
      if (replayed?.familyId) {
        await tx.agentToken.deleteMany({ where: { familyId: replayed.familyId } });
        log.warn("agent.refused", { code: "invalid_grant", reason: "an authorization code was used twice" });
      }
      return failure("invalid_grant", "unknown, used or revoked authorization code");
    }
    if (!code.fresh) return failure("invalid_grant", "the authorization code has expired");
    if (code.clientId !== request.clientId) return failure("invalid_grant", "the code was issued to another client");
    if (code.redirectUri !== request.redirectUri) return failure("invalid_grant", "redirect_uri differs");
    if (!pkceMatches(request.codeVerifier, code.codeChallenge))
      return failure("invalid_grant", "code_verifier does not match");
    if (request.resource !== undefined && request.resource !== code.resource)
      return failure("invalid_target", "resource differs from the authorized one");
    return { ok: true, tokens: await issueTokens(tx, code.grantId, familyId, code.resource) };
  });
}

/**
 * The refresh token grant, with rotation: each refresh token is good once, and answered with a new
 * pair. One used again ends its whole family (every token since the code exchange), since either
 * the agent or a thief holds a copy (OAuth 2.1 section 4.3.1).
 */
export async function refreshTokens(request: {
  refreshToken: string;
  clientId: string;
  resource: string | undefined;
}): Promise<TokenResult> {
  const tokenHash = secretHash(request.refreshToken);
  const outcome = await getDb().$transaction(async (tx) => {
    const [token] = await tx.$queryRaw<{ grantId: string; familyId: string; resource: string; clientId: string }[]>`
      UPDATE "AgentToken" AS token SET "usedAt" = now()
      FROM "AgentGrant" AS grant_
      WHERE token."tokenHash" = ${tokenHash} AND token.kind = 'refresh' AND token."usedAt" IS NULL
        AND token."expiresAt" > now() AND grant_.id = token."grantId"
      RETURNING token."grantId", token."familyId", token.resource, grant_."clientId"`;
    if (!token) {
      const reused = await tx.agentToken.findUnique({ where: { tokenHash } });
      if (reused?.kind === "refresh" && reused.usedAt) {
        await tx.agentToken.deleteMany({ where: { familyId: reused.familyId } });
        return { reused: true as const };
      }
      return failure("invalid_grant", "unknown, expired or revoked refresh token");
    }
    if (token.clientId !== request.clientId) return failure("invalid_grant", "the token was issued to another client");
    if (request.resource !== undefined && request.resource !== token.resource)
      return failure("invalid_target", "resource differs from the authorized one");
    return { ok: true as const, tokens: await issueTokens(tx, token.grantId, token.familyId, token.resource) };
  });
  if ("reused" in outcome) {
    log.warn("agent.refresh_reused", { code: "invalid_grant" });
    return failure("invalid_grant", "refresh token used twice: every token of this sign-in has ended");
  }
  return outcome;
}

/**
 * RFC 7009 revocation by the agent itself: the token ends, and a refresh token takes its family
 * with it. An unknown token is not an error (the RFC says answer 200 either way).
 */
export async function revokeToken(token: string, clientId: string): Promise<void> {
  const db = getDb();
  const found = await db.agentToken.findUnique({
    where: { tokenHash: secretHash(token) },
    include: { grant: { select: { clientId: true } } },
  });
  if (!found || found.grant.clientId !== clientId) return;
  if (found.kind === "refresh") await db.agentToken.deleteMany({ where: { familyId: found.familyId } });
  else await db.agentToken.deleteMany({ where: { tokenHash: found.tokenHash } });
}

async function issueTokens(
  tx: Prisma.TransactionClient,
  grantId: string,
  familyId: string,
  resource: string,
): Promise<TokenResponse> {
  const accessToken = newSecret("aga");
  const refreshToken = newSecret("agr");
  // The grant's expired tokens go as new ones come. Used refresh tokens stay until they expire:
  // they are how a second use is recognized.
  await tx.$executeRaw`DELETE FROM "AgentToken" WHERE "grantId" = ${grantId} AND "expiresAt" < now()`;
  await tx.$executeRaw`
    INSERT INTO "AgentToken" ("tokenHash", kind, "grantId", "familyId", resource, "expiresAt") VALUES
      (${secretHash(accessToken)}, 'access', ${grantId}, ${familyId}, ${resource}, now() + make_interval(secs => ${ACCESS_TOKEN_SECONDS})),
      (${secretHash(refreshToken)}, 'refresh', ${grantId}, ${familyId}, ${resource}, now() + make_interval(days => ${REFRESH_TOKEN_DAYS}))`;
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: refreshToken,
    scope: AGENT_SCOPE,
  };
}
