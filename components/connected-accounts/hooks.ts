"use client";

import { useCallback, useEffect, useState } from "react";
import type { ConnectedAccountSummary } from "@/lib/connected-accounts";

/**
 * A fetch from the browser as it goes: loading, then the data or the API's error body. Check
 * `status` before touching `data` (Stack Auth's shape). On the server, lib/result.ts is the shape.
 */
export type FetchState<T> =
  | { status: "loading" }
  | { status: "ok"; data: T }
  | { status: "error"; error: { code: string; message: string; missingScopes?: string[]; reconnectUrl?: string } };

/** A ConnectedAccountSummary as it arrives over JSON: dates become ISO strings. */
export type ConnectedAccountJson = {
  [Key in keyof ConnectedAccountSummary]: ConnectedAccountSummary[Key] extends Date
    ? string
    : ConnectedAccountSummary[Key] extends Date | null
      ? string | null
      : ConnectedAccountSummary[Key];
};

export type OAuthAccessTokenJson = {
  object: "oauth_access_token";
  external_account_id: string;
  provider_user_id: string;
  token: string;
  expires_at: number | null;
  provider: string;
  public_metadata: Record<string, unknown>;
  label: string | null;
  scopes: string[];
};

function useJson<T>(url: string, pick: (body: unknown) => T): FetchState<T> & { reload: () => void } {
  const [result, setResult] = useState<FetchState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetch(url, { signal: controller.signal, cache: "no-store", credentials: "same-origin" })
      .then(async (response) => {
        const body: unknown = await response.json().catch(() => ({}));
        if (response.ok) return setResult({ status: "ok", data: pick(body) });
        const error = (body as { error?: { code?: string; message?: string } }).error;
        setResult({
          status: "error",
          error: { code: error?.code ?? "http_error", message: error?.message ?? `HTTP ${response.status}`, ...error },
        });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setResult({ status: "error", error: { code: "network_error", message: String(error) } });
        }
      });
    return () => controller.abort();
    // `pick` is a pure mapper; re-running on its identity would refetch on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...result, reload };
}

/** The signed-in user's connected accounts (no secrets), from GET /api/connected-accounts. */
export function useConnectedAccounts() {
  return useJson(`/api/connected-accounts`, (body) => (body as { data: ConnectedAccountJson[] }).data);
}

/**
 * An access token for client-side calls to the provider. Prefer calling provider APIs from the
 * server (lib/google) so tokens never reach the browser; use this only when the browser must.
 */
export function useAccessToken(
  provider: string,
  options: { scopes?: readonly string[]; providerAccountId?: string } = {},
) {
  const params = new URLSearchParams();
  if (options.scopes?.length) params.set("scopes", options.scopes.join(" "));
  if (options.providerAccountId) params.set("providerAccountId", options.providerAccountId);
  const query = params.toString();
  return useJson(
    `/api/connected-accounts/${encodeURIComponent(provider)}/token${query ? `?${query}` : ""}`,
    (body) => body as OAuthAccessTokenJson,
  );
}
