import "server-only";
import { Prisma } from "@prisma/client";
import { changeWithEvents, type RecordEvent } from "../connected-accounts";
import { getDb } from "../db";
import { countRequest, withinRateLimit, type RateLimitCount, type RateLimitResult } from "../rate-limit";
import { failure, type Result } from "../result";
import { secretHash } from "./secrets";

/** A connected account as an agent's grant sees it: never a token. */
export type SharedAccount = {
  id: string;
  provider: string;
  providerAccountId: string;
  email: string | null;
  displayName: string | null;
  status: "active" | "needs_reconnect";
};

/** What a valid access token lets its agent do, for whom. */
export type AgentAccess = {
  grantId: string;
  userId: string;
  client: { id: string; name: string };
  tools: string[];
  accounts: SharedAccount[];
  /** The grant's last noted use, as the call began. */
  lastUsedAt: Date | null;
};

/** A use is noted at most this often per grant. */
const USE_NOTE_INTERVAL_MS = 60_000;

const sharedAccountFields = {
  id: true,
  provider: true,
  providerAccountId: true,
  email: true,
  displayName: true,
  status: true,
} as const;

/**
 * The grant behind a bearer token, and the call counted against its rate limit: an access token
 * (not a refresh token), unexpired, for this very resource (RFC 8707 audience), whose grant still
 * stands. Anything else is `invalid_token`, and counts nothing. The lookup is by the token's hash,
 * so a revoked grant (deleted with its tokens) fails on the next call. One statement, since every
 * tool call pays for it: the token, its grant and agent, the shared accounts, and the count.
 */
export async function authenticateAgentCall(
  token: string,
  resource: string,
): Promise<Result<{ access: AgentAccess }, "invalid_token"> | Extract<RateLimitResult, { ok: false }>> {
  const [found] = await getDb().$queryRaw<
    ({
      kind: string;
      expired: boolean;
      resource: string;
      grantId: string;
      userId: string;
      tools: string[];
      lastUsedAt: Date | null;
      clientId: string;
      clientName: string;
      accounts: SharedAccount[] | null;
    } & Partial<RateLimitCount>)[]
  >`
    WITH found AS (
      SELECT token.kind::text, token."expiresAt" <= now() AS expired, token.resource,
        grant_.id AS "grantId", grant_."userId", grant_.tools, grant_."lastUsedAt",
        client.id AS "clientId", client.name AS "clientName"
      FROM "AgentToken" token
      JOIN "AgentGrant" grant_ ON grant_.id = token."grantId"
      JOIN "AgentClient" client ON client.id = grant_."clientId"
      WHERE token."tokenHash" = ${secretHash(token)}
    ), counted AS (${countRequest(
      "agent_call",
      Prisma.sql`SELECT "grantId" FROM found WHERE kind = 'access' AND NOT expired AND resource = ${resource}`,
    )})
    SELECT found.*, counted.*,
      (SELECT json_agg(json_build_object('id', account.id, 'provider', account.provider,
          'providerAccountId', account."providerAccountId", 'email', account.email,
          'displayName', account."displayName", 'status', account.status) ORDER BY account."createdAt")
        FROM "AgentGrantAccount" shared JOIN "Account" account ON account.id = shared."accountId"
        WHERE shared."grantId" = found."grantId") AS accounts
    FROM found LEFT JOIN counted ON true`;
  if (!found || found.kind !== "access") return failure("invalid_token", "unknown or revoked token");
  if (found.expired) return failure("invalid_token", "the token has expired");
  if (found.resource !== resource) return failure("invalid_token", "the token is for another resource");
  const limit = withinRateLimit("agent_call", {
    count: found.count ?? 1,
    retryAfterSeconds: found.retryAfterSeconds ?? 60,
  });
  if (!limit.ok) return limit;
  return {
    ok: true,
    access: {
      grantId: found.grantId,
      userId: found.userId,
      client: { id: found.clientId, name: found.clientName },
      tools: found.tools,
      accounts: found.accounts ?? [],
      lastUsedAt: found.lastUsedAt,
    },
  };
}

function agentDetail(client: { id: string; name: string }, tool?: string) {
  return { agent: { clientId: client.id, name: client.name }, ...(tool ? { tool } : {}) };
}

/**
 * Notes a tool call: the grant's last use, and an agent.used event for each account it used. At
 * most once a minute per grant (by the database's clock), so a busy agent does not flood the
 * activity list or the webhooks.
 */
export async function noteAgentUse(access: AgentAccess, tool: string, accountIds: readonly string[]): Promise<void> {
  // Noted less than a minute ago, as the token's lookup read it: no query at all. The statement
  // below decides by the database's clock; this only spares the common case a transaction.
  if (access.lastUsedAt && Date.now() - access.lastUsedAt.getTime() < USE_NOTE_INTERVAL_MS - 5_000) return;
  await changeWithEvents(async (tx, record) => {
    const noted = await tx.$executeRaw`
      UPDATE "AgentGrant" SET "lastUsedAt" = now(), "lastUsedTool" = ${tool}
      WHERE id = ${access.grantId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute')`;
    if (noted === 0) return;
    for (const account of access.accounts.filter((shared) => accountIds.includes(shared.id))) {
      record({
        type: "agent.used",
        userId: access.userId,
        accountId: account.id,
        provider: account.provider,
        detail: agentDetail(access.client, tool),
      });
    }
  });
}

/** An agent with access, as the Connected accounts page lists it. */
export type AgentGrantSummary = {
  id: string;
  client: { id: string; name: string; redirectHost: string | null; metadataUrl: string | null };
  tools: string[];
  accounts: SharedAccount[];
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedTool: string | null;
};

export async function listAgentGrants(userId: string): Promise<AgentGrantSummary[]> {
  const grants = await getDb().agentGrant.findMany({
    where: { userId },
    include: { client: true, accounts: { include: { account: { select: sharedAccountFields } } } },
    orderBy: { createdAt: "asc" },
  });
  return grants.map((grant) => ({
    id: grant.id,
    client: {
      id: grant.client.id,
      name: grant.client.name,
      redirectHost: redirectHost(grant.client.redirectUris),
      metadataUrl: grant.client.metadataUrl,
    },
    tools: grant.tools,
    accounts: grant.accounts.map(({ account }) => account),
    createdAt: grant.createdAt,
    lastUsedAt: grant.lastUsedAt,
    lastUsedTool: grant.lastUsedTool,
  }));
}

/** The host the agent's redirect URIs share (or the first one's), to name where the browser goes back to. */
export function redirectHost(redirectUris: readonly string[]): string | null {
  const first = redirectUris[0];
  return first && URL.canParse(first) ? new URL(first).host : null;
}

/**
 * Ends an agent's access: the grant goes, and with it every code and token (the foreign keys), so
 * its next call gets 401. `grantId` must be one of `userId`'s; anyone else's is not found.
 */
export async function revokeAgentGrant(userId: string, grantId: string): Promise<Result<object, "not_found">> {
  return changeWithEvents(async (tx, record) => {
    const grant = await tx.agentGrant.findFirst({
      where: { id: grantId, userId },
      include: { client: { select: { id: true, name: true } }, accounts: { include: { account: true } } },
    });
    if (!grant) return failure("not_found", `agent grant ${grantId} is not one of user ${userId}'s`);
    await tx.agentGrant.delete({ where: { id: grant.id } });
    for (const { account } of grant.accounts) {
      record({
        type: "agent.revoked",
        userId,
        accountId: account.id,
        provider: account.provider,
        detail: agentDetail(grant.client),
      });
    }
    return { ok: true };
  });
}

/**
 * Records the user's consent: the grant for this agent, now with exactly these tools and
 * accounts (a second consent replaces the first's choice), and agent.authorized for each account.
 * Accounts not the user's are dropped here, whatever the form said.
 */
export async function saveAgentGrant(
  tx: Prisma.TransactionClient,
  record: RecordEvent,
  grant: { id: string; userId: string; client: { id: string; name: string }; tools: string[]; accountIds: string[] },
): Promise<string> {
  const accounts = await tx.account.findMany({
    where: { userId: grant.userId, id: { in: grant.accountIds } },
    select: { id: true, provider: true },
  });
  const saved = await tx.agentGrant.upsert({
    where: { userId_clientId: { userId: grant.userId, clientId: grant.client.id } },
    create: { id: grant.id, userId: grant.userId, clientId: grant.client.id, tools: grant.tools },
    update: { tools: grant.tools },
  });
  await tx.agentGrantAccount.deleteMany({ where: { grantId: saved.id } });
  await tx.agentGrantAccount.createMany({
    data: accounts.map((account) => ({ grantId: saved.id, accountId: account.id })),
  });
  for (const account of accounts) {
    record({
      type: "agent.authorized",
      userId: grant.userId,
      accountId: account.id,
      provider: account.provider,
      detail: agentDetail(grant.client),
    });
  }
  return saved.id;
}
