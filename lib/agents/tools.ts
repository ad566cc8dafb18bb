import "server-only";
import { z } from "zod";
import { connectUrl, fetchAs, type AccessTokenError } from "../connected-accounts";
import { findProvider, getConfiguredProviders, type ConfiguredProvider, type ProviderId } from "../providers";
import type { AgentAccess, SharedAccount } from "./grants";

/** A tool an agent may be allowed: what it reads, with which provider's scopes. All are read-only. */
export type AgentToolDefinition = {
  name: string;
  title: string;
  description: string;
  /**
   * The providers whose accounts it can use, the one to connect first (the link a tool answers
   * with when none is shared); none for one that reads only our own records. They share one API.
   */
  providers: readonly ProviderId[];
  /** The provider scopes the call needs (checked against the account's grant before the call). */
  scopes: readonly string[];
  /** What the account's card says it was last used for. */
  feature: string;
  /** The GET it sends, under the provider's API base, for `count` items. */
  path?: (count: number) => string;
  /** What of the provider's answer the agent gets: the fields this schema keeps. */
  answer?: z.ZodType;
};

const GOOGLE_API = "https://www.googleapis.com/auth/";

// The provider's answers, cut down to what an agent needs (and zod drops every other field).
const driveFiles = z
  .object({
    files: z.array(
      z.object({ id: z.string(), name: z.string(), mimeType: z.string(), modifiedTime: z.string().optional() }),
    ),
  })
  .transform((answer) => answer.files);
const calendarEvents = z
  .object({
    items: z.array(
      z.object({
        summary: z.string().optional(),
        start: z.object({ dateTime: z.string().optional(), date: z.string().optional() }),
        htmlLink: z.string().optional(),
      }),
    ),
  })
  .transform((answer) => answer.items);
const gmailLabels = z
  .object({ labels: z.array(z.object({ id: z.string(), name: z.string(), type: z.string().optional() })) })
  .transform((answer) => answer.labels);
const repositories = z.array(
  z.object({
    full_name: z.string(),
    private: z.boolean(),
    html_url: z.string(),
    updated_at: z.string().nullable().optional(),
  }),
);

const oneDriveFiles = z
  .object({
    value: z.array(
      z.object({ id: z.string(), name: z.string(), webUrl: z.string(), lastModifiedDateTime: z.string().optional() }),
    ),
  })
  .transform((answer) => answer.value);

const query = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([name, value]) => [name, String(value)]));

// The tools call the provider APIs themselves (not lib/google, the demo): removing the demo
// (docs/providers.md) leaves them working.
export const AGENT_TOOLS = [
  {
    name: "list_connected_accounts",
    title: "List connected accounts",
    description: "The connected accounts shared with this agent: their ids, providers and names.",
    providers: [],
    scopes: [],
    feature: "Accounts",
  },
  {
    name: "recent_drive_files",
    title: "Recent Drive files",
    description: "The names and types of the most recently changed files in Google Drive.",
    providers: ["google"],
    scopes: [`${GOOGLE_API}drive.metadata.readonly`],
    feature: "Drive",
    path: (count) =>
      `/drive/v3/files?${query({ pageSize: count, orderBy: "modifiedTime desc", fields: "files(id,name,mimeType,modifiedTime)" })}`,
    answer: driveFiles,
  },
  {
    name: "next_calendar_events",
    title: "Next calendar events",
    description: "The next events on the primary Google Calendar.",
    providers: ["google"],
    scopes: [`${GOOGLE_API}calendar.readonly`],
    feature: "Calendar",
    path: (count) =>
      `/calendar/v3/calendars/primary/events?${query({ maxResults: count, singleEvents: "true", orderBy: "startTime", timeMin: new Date().toISOString() })}`,
    answer: calendarEvents,
  },
  {
    name: "gmail_labels",
    title: "Gmail labels",
    description: "The labels of the Gmail mailbox (not the mail).",
    providers: ["google"],
    scopes: [`${GOOGLE_API}gmail.labels`],
    feature: "Gmail",
    path: () => "/gmail/v1/users/me/labels",
    answer: gmailLabels,
  },
  {
    name: "github_repositories",
    title: "GitHub repositories",
    description: "The GitHub repositories the account can see, most recently updated first.",
    // The GitHub App made for repository access first; the sign-in's OAuth App reaches them too.
    providers: ["github-app", "github"],
    // Listing repositories needs no scope beyond the sign-in's; private ones need `repo`.
    scopes: [],
    feature: "Repositories",
    path: (count) => `/user/repos?${query({ sort: "updated", per_page: count })}`,
    answer: repositories,
  },
  {
    name: "recent_onedrive_files",
    title: "Recent OneDrive files",
    description: "The names and links of the files most recently used in OneDrive (Microsoft 365).",
    providers: ["microsoft-entra-id"],
    scopes: ["https://graph.microsoft.com/Files.Read"],
    feature: "OneDrive",
    path: (count) => `/me/drive/recent?${query({ $top: count })}`,
    answer: oneDriveFiles,
  },
] as const satisfies readonly AgentToolDefinition[];

/** The tools this server can offer: those with none of their providers, or one, configured here. */
export function availableAgentTools(): AgentToolDefinition[] {
  return AGENT_TOOLS.filter((tool) => tool.providers.length === 0 || toolProviders(tool).length > 0);
}

/** Of `tool`'s providers, those configured here, in the tool's order. */
export function toolProviders(tool: AgentToolDefinition): ConfiguredProvider[] {
  const configured = getConfiguredProviders();
  return tool.providers.flatMap((id) => findProvider(configured, id) ?? []);
}

/** How a tool names its providers to the user: "GitHub repositories or GitHub". */
export function providerLabels(providers: readonly ConfiguredProvider[]): string {
  return providers.map((provider) => provider.label).join(" or ");
}

/** Every tool's arguments: which shared account (list_connected_accounts gives the ids), and how many items. */
export const toolArguments = {
  account_id: z
    .string()
    .max(64)
    .optional()
    .describe("The id of a shared account; if omitted, the first shared account the tool can use."),
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
  if (tool.providers.length === 0) {
    const accounts = access.accounts.map(({ id, provider, email, displayName, status }) => ({
      id,
      provider,
      name: email ?? displayName,
      status,
    }));
    return { kind: "data", data: { accounts }, accountIds: [] };
  }
  const providers = toolProviders(tool);
  const [preferred] = providers;
  if (!preferred) return { kind: "refused", message: `${tool.title} is not available on this server.` };
  const account = pickAccount(providers, args.account_id, access.accounts);
  if (!account.ok) {
    if (account.reason === "not_shared") return { kind: "refused", message: account.message };
    return {
      kind: "user_action",
      message: account.message,
      url: new URL(connectUrl(preferred.id, tool.scopes), origin).href,
    };
  }
  const { shared, provider } = account;
  const count = args.count ?? 5;
  const feature = `${access.client.name.slice(0, 40)} (${tool.feature})`;
  const result = await callProvider(tool, provider, access.userId, count, {
    providerAccountId: shared.providerAccountId,
    feature,
  });
  if (result.ok) return { kind: "data", data: result.data, accountIds: [shared.id] };
  return fixFor(result.error, tool, provider, origin);
}

type Picked =
  | { ok: true; shared: SharedAccount; provider: ConfiguredProvider }
  | { ok: false; reason: "not_shared" | "none_shared"; message: string };

/** The shared account a call uses: the one named, or the first of the tool's first provider that has one. */
function pickAccount(
  providers: readonly ConfiguredProvider[],
  accountId: string | undefined,
  shared: readonly SharedAccount[],
): Picked {
  const labels = providerLabels(providers);
  const usable = (account: SharedAccount) => {
    const provider = providers.find((candidate) => candidate.id === account.provider);
    return provider ? { ok: true as const, shared: account, provider } : undefined;
  };
  if (accountId !== undefined) {
    const found = shared.find((account) => account.id === accountId);
    // Another user's account, or one of this user's not shared: the same answer, revealing nothing.
    return (
      (found && usable(found)) ?? {
        ok: false,
        reason: "not_shared",
        message: `Account ${accountId} is not a ${labels} account shared with this agent.`,
      }
    );
  }
  for (const provider of providers) {
    const first = shared.find((account) => account.provider === provider.id);
    if (first) return { ok: true, shared: first, provider };
  }
  return {
    ok: false,
    reason: "none_shared",
    message: `No ${labels} account is shared with this agent. The user can connect one, then authorize the agent again to share it.`,
  };
}

type Answer = { ok: true; data: unknown } | { ok: false; error: AccessTokenError };

/** The tool's GET, as the shared account, through fetchAs; the answer cut down to the tool's schema. */
async function callProvider(
  tool: AgentToolDefinition,
  provider: ConfiguredProvider,
  userId: string,
  count: number,
  account: { providerAccountId: string; feature: string },
): Promise<Answer> {
  if (!tool.path || !tool.answer)
    return { ok: false, error: { code: "not_linked", detail: `${tool.name} calls no provider` } };
  const answer = await fetchAs(
    userId,
    {
      provider: provider.id,
      providerAccountId: account.providerAccountId,
      scopes: tool.scopes,
      feature: account.feature,
    },
    new Request(`${provider.urls.api}${tool.path(count)}`, { headers: { accept: "application/json" } }),
  );
  if (!answer.ok) return answer;
  const { response } = answer;
  const parsed = tool.answer.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    const detail = `${provider.label} answered ${response.status}${response.ok ? " in an unexpected shape" : ""}`;
    return { ok: false, error: { code: "provider_unavailable", detail } };
  }
  return { ok: true, data: parsed.data };
}

/** A failed call on `provider`'s account in terms the agent can act on: a link for the user, or why it failed. */
function fixFor(
  error: AccessTokenError,
  tool: AgentToolDefinition,
  provider: ConfiguredProvider,
  origin: string,
): ToolOutcome {
  const { label } = provider;
  const absolute = (path: string) => new URL(path, origin).href;
  switch (error.code) {
    case "not_linked":
      return {
        kind: "user_action",
        message: `The user needs to connect a ${label} account.`,
        url: absolute(error.reconnectUrl ?? connectUrl(provider.id, tool.scopes)),
      };
    case "missing_scopes":
      return {
        kind: "user_action",
        message: `The user needs to let this app ${tool.title.toLowerCase()} at ${label}.`,
        url: absolute(error.reconnectUrl ?? connectUrl(provider.id, tool.scopes)),
      };
    case "reconnect_required":
      return {
        kind: "user_action",
        message: `The user needs to reconnect their ${label} account.`,
        url: absolute(error.reconnectUrl ?? connectUrl(provider.id)),
      };
    case "provider_unavailable":
      return { kind: "refused", message: `${label} is not answering right now; try again later.` };
  }
}
