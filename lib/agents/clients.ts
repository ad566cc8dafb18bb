import "server-only";
import { z } from "zod";
import { getDb } from "../db";
import { getEnv } from "../env";
import { log } from "../log";
import { failure, type Result } from "../result";
import { redirectUriProblem } from "./addresses";
import { documentUrlProblem, fetchClientDocument } from "./client-metadata-document";
import { newId } from "./secrets";

/** An agent as the consent page and the token endpoint know it. */
export type AgentClient = { id: string; name: string; redirectUris: string[]; metadataUrl: string | null };

/** RFC 7591 error codes, as the registration endpoint answers them. */
export type ClientErrorCode = "invalid_client_metadata" | "invalid_redirect_uri" | "invalid_client";

/** A Client ID Metadata Document fetched this recently is used as stored. */
const DOCUMENT_REUSE_MS = 5 * 60 * 1000;
const MAX_NAME_LENGTH = 100;
const MAX_REDIRECT_URIS = 10;

const redirectUris = z.array(z.string().max(2000)).min(1).max(MAX_REDIRECT_URIS);

// Only what we use is read; the rest of a registration or a document (logo_uri, contacts…) is ignored.
const clientMetadata = z.object({
  redirect_uris: redirectUris,
  client_name: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
});

type ClientMetadata = z.infer<typeof clientMetadata>;

/** What is wrong with a client's metadata for this server, if anything. */
function metadataProblem(metadata: ClientMetadata): Result<object, ClientErrorCode> | undefined {
  for (const uri of metadata.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) return failure("invalid_redirect_uri", `redirect_uri ${problem}`);
  }
  if (metadata.grant_types && !metadata.grant_types.includes("authorization_code"))
    return failure("invalid_client_metadata", "grant_types must include authorization_code");
  if (metadata.response_types && metadata.response_types.some((type) => type !== "code"))
    return failure("invalid_client_metadata", 'response_types may only be ["code"]');
  return undefined;
}

/**
 * RFC 7591 Dynamic Client Registration of a public client. Every agent is public here (no client
 * secret: PKCE protects the code), so a requested token_endpoint_auth_method is answered with
 * "none", which RFC 7591 allows the server to do.
 */
export async function registerClient(body: unknown): Promise<Result<{ registration: object }, ClientErrorCode>> {
  const parsed = clientMetadata.safeParse(body);
  if (!parsed.success) return failure("invalid_client_metadata", "the registration is not valid client metadata");
  const problem = metadataProblem(parsed.data);
  if (problem) return problem as { ok: false; error: { code: ClientErrorCode; detail: string } };
  const client = await getDb().agentClient.create({
    data: {
      id: newId("agt"),
      name: parsed.data.client_name ?? "Unnamed agent",
      redirectUris: parsed.data.redirect_uris,
    },
  });
  log.info("agent.registered", { reason: `client ${client.id} (${client.name})` });
  return {
    ok: true,
    registration: {
      client_id: client.id,
      client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
      client_name: client.name,
      redirect_uris: client.redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
  };
}

/** Loopback metadata documents (an agent under test on this machine) outside production only. */
function documentsMayBeLocal(): boolean {
  return getEnv().NODE_ENV !== "production";
}

/** Whether `clientId` is a Client ID Metadata Document URL rather than one of our ids. */
export function isDocumentClientId(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

/**
 * The agent `clientId` names: a client registered here, or the one its Client ID Metadata
 * Document describes (fetched, checked, and kept a few minutes).
 */
export async function resolveClient(clientId: string): Promise<Result<{ client: AgentClient }, ClientErrorCode>> {
  if (clientId.length > 2000) return failure("invalid_client", "client_id is too long");
  const db = getDb();
  const stored = await db.agentClient.findUnique({ where: { id: clientId } });
  if (!isDocumentClientId(clientId)) {
    return stored ? { ok: true, client: stored } : failure("invalid_client", "no such client is registered");
  }
  if (stored && Date.now() - stored.updatedAt.getTime() < DOCUMENT_REUSE_MS) return { ok: true, client: stored };

  const urlProblem = documentUrlProblem(clientId, documentsMayBeLocal());
  if (urlProblem) return failure("invalid_client", `the client's metadata document URL ${urlProblem}`);
  const fetched = await fetchClientDocument(new URL(clientId), documentsMayBeLocal());
  if (!fetched.ok)
    return failure("invalid_client", `the client's metadata document could not be used: ${fetched.problem}`);
  const document = clientMetadata.extend({ client_id: z.string() }).safeParse(fetched.json);
  if (!document.success) return failure("invalid_client_metadata", "the client's metadata document is not valid");
  if (document.data.client_id !== clientId)
    return failure("invalid_client_metadata", "the metadata document's client_id is not its own URL");
  const problem = metadataProblem(document.data);
  if (problem) return problem as { ok: false; error: { code: ClientErrorCode; detail: string } };
  const fields = {
    name: document.data.client_name ?? new URL(clientId).host,
    redirectUris: document.data.redirect_uris,
    metadataUrl: clientId,
  };
  const client = await db.agentClient.upsert({
    where: { id: clientId },
    create: { id: clientId, ...fields },
    update: { ...fields, updatedAt: new Date() },
  });
  return { ok: true, client };
}
