import GitHub from "next-auth/providers/github";
import { PROVIDER_TIMEOUT_MS } from "../standard";
import type { ConfiguredProvider, Provider } from "../types";
import { githubDefinition } from "./definition";

export const github = {
  ...githubDefinition,
  authJsProvider: (provider, shared) =>
    GitHub({
      ...shared,
      // Its own id and name, so another GitHub client (lib/providers/github-app) gets its own callback.
      id: provider.id,
      name: provider.label,
      // The sandbox speaks GitHub Enterprise's URL layout: {base}/login/oauth/* and {base}/api/v3/*.
      enterprise: provider.sandbox ? { baseUrl: provider.urls.issuer.replace(/\/login\/oauth$/, "") } : undefined,
    }),
  // GitHub revokes a grant only given a valid access token.
  revocation: { token: "live_access_token", revoke: deleteGrant },
  verifiedEmail: verifiedPrimaryEmail,
} as const satisfies Provider;

/** DELETE /applications/{client_id}/grant with the client's basic auth and the access token. */
async function deleteGrant(provider: ConfiguredProvider, token: string, signal: AbortSignal): Promise<Response> {
  const url = provider.urls.revocation!.replace("{client_id}", encodeURIComponent(provider.clientId));
  return fetch(url, {
    method: "DELETE",
    headers: {
      authorization: `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString("base64")}`,
      accept: "application/vnd.github+json",
      "content-type": "application/json",
    },
    body: JSON.stringify({ access_token: token }),
    signal,
  });
}

/** The primary address `/user/emails` marks verified. Never throws: GitHub unreachable vouches for nothing. */
async function verifiedPrimaryEmail(
  provider: ConfiguredProvider,
  _profile: Record<string, unknown>,
  accessToken: string | undefined,
): Promise<string | undefined> {
  if (!accessToken) return undefined;
  const response = await fetch(`${provider.urls.api}/user/emails`, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      accept: "application/json",
      "user-agent": "connected-accounts-starter",
    },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch(() => undefined);
  const emails: unknown = response?.ok ? await response.json().catch(() => undefined) : undefined;
  if (!Array.isArray(emails)) return undefined;
  const primary = emails.find(
    (entry) => entry?.primary === true && entry?.verified === true && typeof entry.email === "string",
  );
  return primary ? String(primary.email).toLowerCase() : undefined;
}
