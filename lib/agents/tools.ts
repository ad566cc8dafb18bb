import "server-only";
import { z } from "zod";
import { connectUrl, fetchAs, type AccessTokenError } from "../connected-accounts";
import { GOOGLE_SCOPES, listGmailLabels, listRecentDriveFiles, listUpcomingEvents, type GoogleResult } from "../google";
import { findProvider, getConfiguredProviders, type ProviderId } from "../providers";
import type { AgentAccess, SharedAccount } from "./grants";

/** A tool an agent may be allowed: what it reads, with which provider's scopes. All are read-only. */
export type AgentToolDefinition = {
  name: string;
  title: string;
  description: string;
  /** The provider whose account it uses; null for one that reads only our own records. */
  provider: ProviderId | null;
  /** The provider scopes the call needs (checked against the account's grant before the call). */
  scopes: readonly string[];
  /** What the account's card says it was last used for. */
  feature: string;
};

export const AGENT_TOOLS = [
  {
    name: "list_connected_accounts",
    title: "List connected accounts",
    description: "The connected accounts shared with this agent: their ids, providers and names.",
    provider: null,
    scopes: [],
    feature: "Accounts",
  },
  {
    name: "recent_drive_files",
    title: "Recent Drive files",
    description: "The names and types of the most recently changed files in Google Drive.",
    provider: "google",
    scopes: GOOGLE_SCOPES.driveFiles,
    feature: "Drive",
  },
  {
    name: "next_calendar_events",
    title: "Next calendar events",
    description: "The next events on the primary Google Calendar.",
    provider: "google",
    scopes: GOOGLE_SCOPES.calendarEvents,
    feature: "Calendar",
  },
  {
    name: "gmail_labels",
    title: "Gmail labels",
    description: "The labels of the Gmail mailbox (not the mail).",
    provider: "google",
    scopes: GOOGLE_SCOPES.gmailLabels,
    feature: "Gmail",
  },
  {
    name: "github_repositories",
    title: "GitHub repositories",
    description: "The GitHub repositories the account can see, most recently updated first.",
    provider: "github",
    // Listing repositories needs no scope beyond the sign-in's; private ones need `repo`.
    scopes: [],
    feature: "Repositories",
  },
] as const satisfies readonly AgentToolDefinition[];

export type AgentToolName = (typeof AGENT_TOOLS)[number]["name"];

export function isAgentToolName(name: string): name is AgentToolName {
  return AGENT_TOOLS.some((tool) => tool.name === name);
}

/** The tools this server can offer: those whose provider is configured here. */
export function availableAgentTools(): AgentToolDefinition[] {
  const configured = getConfiguredProviders();
  return AGENT_TOOLS.filter((tool) => tool.provider === null || findProvider(configured, tool.provider));
}

/** Every tool's arguments: which shared account (list_connected_accounts gives the ids), and how many items. */
export const toolArguments = {
  account_id: z
    .string()
    .max(64)
    .optional()
    .describe("The id of a shared account; the first one of the provider if omitted."),
  count: z.number().int().min(1).max(20).optional().describe("How many items, 1 to 20 (default 5)."),
};

export type ToolArguments = { account_id?: string; count?: number };

/** What a tool call comes to: data, something only the user can do (a link), or a refusal. */
export type ToolOutcome =
  | { kind: "data"; data: unknown; accountIds: string[] }
  | { kind: "user_action"; message: string; url: string }
  | { kind: "refused"; message: string };

/**
 * Runs `tool` for the agent with `access`: only on an account the user shared with it, only through
 * fetchAs. `origin` makes the links absolute (the agent shows them to the user).
 */
export async function runAgentTool(
  tool: AgentToolDefinition,
  args: ToolArguments,
  access: AgentAccess,
  origin: string,
): Promise<ToolOutcome> {
  if (tool.provider === null) {
    const accounts = access.accounts.map(({ id, provider, email, displayName, status }) => ({
      id,
      provider,
      name: email ?? displayName,
      status,
    }));
    return { kind: "data", data: { accounts }, accountIds: [] };
  }
  const account = pickAccount(tool.provider, args.account_id, access.accounts);
  if (!account.ok) {
    if (account.reason === "not_shared") return { kind: "refused", message: account.message };
    return {
      kind: "user_action",
      message: account.message,
      url: new URL(connectUrl(tool.provider, tool.scopes), origin).href,
    };
  }
  const count = args.count ?? 5;
  const feature = `${access.client.name.slice(0, 40)} (${tool.feature})`;
  const options = { providerAccountId: account.shared.providerAccountId, feature };
  const result = await callProvider(tool.name as AgentToolName, access.userId, count, options);
  if (result.ok) return { kind: "data", data: result.data, accountIds: [account.shared.id] };
  return fixFor(result.error, tool, origin);
}

type Picked =
  { ok: true; shared: SharedAccount } | { ok: false; reason: "not_shared" | "none_shared"; message: string };

function pickAccount(provider: string, accountId: string | undefined, shared: readonly SharedAccount[]): Picked {
  const label = findProvider(getConfiguredProviders(), provider)?.label ?? provider;
  if (accountId !== undefined) {
    const found = shared.find((account) => account.id === accountId);
    // Another user's account, or one of this user's not shared: the same answer, revealing nothing.
    if (!found || found.provider !== provider)
      return {
        ok: false,
        reason: "not_shared",
        message: `Account ${accountId} is not a ${label} account shared with this agent.`,
      };
    return { ok: true, shared: found };
  }
  const first = shared.find((account) => account.provider === provider);
  if (first) return { ok: true, shared: first };
  return {
    ok: false,
    reason: "none_shared",
    message: `No ${label} account is shared with this agent. The user can connect one, then authorize the agent again to share it.`,
  };
}

type CallOptions = { providerAccountId: string; feature: string };
type Answer = { ok: true; data: unknown } | { ok: false; error: AccessTokenError };

async function callProvider(name: AgentToolName, userId: string, count: number, options: CallOptions): Promise<Answer> {
  const data = <T>(result: GoogleResult<T>): Answer => (result.ok ? { ok: true, data: result.data } : result);
  switch (name) {
    case "recent_drive_files":
      return data(await listRecentDriveFiles(userId, count, options));
    case "next_calendar_events":
      return data(await listUpcomingEvents(userId, count, options));
    case "gmail_labels":
      return data(await listGmailLabels(userId, options));
    case "github_repositories":
      return listRepositories(userId, count, options);
    case "list_connected_accounts":
      return { ok: true, data: null };
  }
}

const repositoriesSchema = z.array(
  z.object({
    full_name: z.string(),
    private: z.boolean(),
    html_url: z.string(),
    updated_at: z.string().nullable().optional(),
  }),
);

async function listRepositories(userId: string, count: number, options: CallOptions): Promise<Answer> {
  const github = findProvider(getConfiguredProviders(), "github");
  if (!github) return { ok: false, error: { code: "not_linked", detail: "GitHub is not configured" } };
  const query = new URLSearchParams({ sort: "updated", per_page: String(count) });
  const answer = await fetchAs(
    userId,
    { provider: "github", providerAccountId: options.providerAccountId, scopes: [], feature: options.feature },
    new Request(`${github.urls.api}/user/repos?${query}`, { headers: { accept: "application/vnd.github+json" } }),
  );
  if (!answer.ok) return answer;
  const parsed = repositoriesSchema.safeParse(await answer.response.json().catch(() => undefined));
  if (!answer.response.ok || !parsed.success)
    return { ok: false, error: { code: "provider_unavailable", detail: `GitHub answered ${answer.response.status}` } };
  return { ok: true, data: parsed.data.slice(0, count) };
}

/** A failed call in terms the agent can act on: a link for the user, or why it failed. */
function fixFor(error: AccessTokenError, tool: AgentToolDefinition, origin: string): ToolOutcome {
  const label = findProvider(getConfiguredProviders(), tool.provider ?? "")?.label ?? tool.provider ?? "";
  const absolute = (path: string) => new URL(path, origin).href;
  switch (error.code) {
    case "not_linked":
      return {
        kind: "user_action",
        message: `The user needs to connect a ${label} account.`,
        url: absolute(error.reconnectUrl ?? connectUrl(tool.provider as ProviderId, tool.scopes)),
      };
    case "missing_scopes":
      return {
        kind: "user_action",
        message: `The user needs to let this app ${tool.title.toLowerCase()} at ${label}.`,
        url: absolute(error.reconnectUrl ?? connectUrl(tool.provider as ProviderId, tool.scopes)),
      };
    case "reconnect_required":
      return {
        kind: "user_action",
        message: `The user needs to reconnect their ${label} account.`,
        url: absolute(error.reconnectUrl ?? connectUrl(tool.provider as ProviderId)),
      };
    case "provider_unavailable":
      return { kind: "refused", message: `${label} is not answering right now; try again later.` };
  }
}
