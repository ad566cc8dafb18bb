import "server-only";
import { z } from "zod";
import { fetchAs, type AccessTokenErrorCode, type AccessTokenFix } from "../connected-accounts";
import { log } from "../log";
import { findProvider, getConfiguredProviders, type ProviderId } from "../providers";
import { failure, type Result } from "../result";

// The Microsoft 365 demo: a typed Graph call through fetchAs (docs/providers.md, "Removing the demos").

const PROVIDER: ProviderId = "microsoft-entra-id";

/** What the OneDrive panel asks for, when it is needed (incremental consent: never at sign-in). */
export const ONEDRIVE_SCOPE = "https://graph.microsoft.com/Files.Read";

const recentFiles = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      webUrl: z.string(),
      lastModifiedDateTime: z.string(),
    }),
  ),
});

export type OneDriveFile = z.infer<typeof recentFiles>["value"][number];

export type OneDriveResult = Result<
  { files: OneDriveFile[]; accountId: string },
  AccessTokenErrorCode,
  AccessTokenFix & { claimsChallenge?: string }
>;

/** The user's recently used OneDrive files (Graph's /me/drive/recent), read with their Microsoft account. */
export async function listRecentOneDriveFiles(userId: string, count = 5): Promise<OneDriveResult> {
  const microsoft = findProvider(getConfiguredProviders(), PROVIDER);
  if (!microsoft) return failure("not_linked", "Microsoft is not configured");
  const answer = await fetchAs(
    userId,
    { provider: PROVIDER, scopes: [ONEDRIVE_SCOPE], feature: "OneDrive" },
    new Request(`${microsoft.urls.api}/me/drive/recent?$top=${count}`, {
      headers: { accept: "application/json" },
      cache: "no-store",
    }),
  );
  if (!answer.ok) return answer;
  const { response, accountId } = answer;
  const parsed = response.ok ? recentFiles.safeParse(await response.json().catch(() => undefined)) : undefined;
  if (!parsed?.success) {
    const reason = response.ok ? "Graph's answer had an unexpected shape" : `Graph answered ${response.status}`;
    log.warn("microsoft_graph.failed", { provider: PROVIDER, accountId, userId, code: "provider_unavailable", reason });
    return failure("provider_unavailable", reason);
  }
  return { ok: true, files: parsed.data.value.slice(0, count), accountId };
}
