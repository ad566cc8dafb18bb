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
  /** The account's profile as its card shows it. */
  public_metadata: { email: string | null; display_name: string | null; avatar_url: string | null };
  /** The account's name on its card: its email, else its display name, else its provider's id for it. */
  label: string;
  scopes: string[];
};

/**
 * One GET of our JSON API as a FetchState: the picked body, or the API's error body (`code`,
 * `message`, and what it says the user can do). Never throws; an aborted fetch resolves undefined.
 */
export async function fetchState<T>(
  url: string,
  pick: (body: unknown) => T,
  signal?: AbortSignal,
): Promise<FetchState<T> | undefined> {
  try {
    const response = await fetch(url, { signal, cache: "no-store", credentials: "same-origin" });
    const body: unknown = await response.json().catch(() => ({}));
    if (response.ok) return { status: "ok", data: pick(body) };
    const error = (body as { error?: { code?: string; message?: string } }).error;
    return {
      status: "error",
      error: { code: error?.code ?? "http_error", message: error?.message ?? `HTTP ${response.status}`, ...error },
    };
  } catch (error) {
    return signal?.aborted ? undefined : { status: "error", error: { code: "network_error", message: String(error) } };
  }
}

function useJson<T>(url: string, pick: (body: unknown) => T): FetchState<T> & { reload: () => void } {
  const [result, setResult] = useState<FetchState<T>>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    void fetchState(url, pick, controller.signal).then((state) => {
      if (state) setResult(state);
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

/** Where useAccessToken asks: the token endpoint, with the scopes and account it names. */
export function accessTokenUrl(
  provider: string,
  options: { scopes?: readonly string[]; providerAccountId?: string } = {},
): string {
  const params = new URLSearchParams();
  if (options.scopes?.length) params.set("scopes", options.scopes.join(" "));
  if (options.providerAccountId) params.set("providerAccountId", options.providerAccountId);
  const query = params.toString();
  return `/api/connected-accounts/${encodeURIComponent(provider)}/token${query ? `?${query}` : ""}`;
}

/**
 * An access token in the browser, for the rare call the browser must make itself (a provider's
 * picker widget, say); the app has none. Prefer calling provider APIs from the server (lib/google)
 * so tokens never reach the browser. The token is fetched after the page loaded, never rendered
 * into HTML or passed as a prop, and dropped with the component.
 */
export function useAccessToken(
  provider: string,
  options: { scopes?: readonly string[]; providerAccountId?: string } = {},
) {
  return useJson(accessTokenUrl(provider, options), (body) => body as OAuthAccessTokenJson);
}
