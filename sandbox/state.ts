import type { ServerResponse } from "node:http";

export type SandboxProviderName = "google" | "github";
export type RefreshMode = "normal" | "invalid_grant" | "error_500" | "hang" | "slow";

/** How long the "slow" mode holds a refresh before answering it normally, unless set by the control call. */
export const DEFAULT_SLOW_REFRESH_MS = 1500;

/** What the control endpoint can change and count, shared by every part of the sandbox. */
export type SandboxState = {
  /** Lifetime of new access tokens; undefined = each provider's own (Google 3599 s, GitHub App 8 h). */
  accessTokenTtlSeconds: number | undefined;
  refreshMode: Record<SandboxProviderName, RefreshMode>;
  slowRefreshMs: number;
  stats: {
    refreshRequests: Record<SandboxProviderName, number>;
    tokenRequests: Record<SandboxProviderName, number>;
    revocations: Record<SandboxProviderName, number>;
  };
  /** Refresh requests held open by the "hang" mode, answered never (destroyed on mode change or close). */
  hanging: Set<ServerResponse>;
};

const perProvider = () => ({ google: 0, github: 0 });

export function createState(accessTokenTtlSeconds?: number): SandboxState {
  return {
    accessTokenTtlSeconds,
    refreshMode: { google: "normal", github: "normal" },
    slowRefreshMs: DEFAULT_SLOW_REFRESH_MS,
    stats: { refreshRequests: perProvider(), tokenRequests: perProvider(), revocations: perProvider() },
    hanging: new Set(),
  };
}

export function resetState(state: SandboxState, defaultTtl: number | undefined): void {
  releaseHanging(state);
  Object.assign(state, { ...createState(defaultTtl), hanging: state.hanging });
}

export function releaseHanging(state: SandboxState): void {
  for (const res of state.hanging) res.destroy();
  state.hanging.clear();
}

/**
 * Applies the refresh mode to a refresh-grant request. Resolves true when it answered (or parked)
 * the request, false when the normal token endpoint should handle it (after a delay in "slow"
 * mode). `rejectGrant` answers in the provider's own words for a dead refresh token.
 */
export async function interceptRefresh(
  state: SandboxState,
  provider: SandboxProviderName,
  res: ServerResponse,
  rejectGrant: () => void,
): Promise<boolean> {
  state.stats.refreshRequests[provider] += 1;
  switch (state.refreshMode[provider]) {
    case "normal":
      return false;
    case "slow":
      await new Promise((resolve) => setTimeout(resolve, state.slowRefreshMs));
      return false;
    case "hang":
      state.hanging.add(res);
      res.on("close", () => state.hanging.delete(res));
      return true;
    case "error_500":
      res.writeHead(500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: "internal_failure", error_description: "sandbox: simulated outage" }));
      return true;
    case "invalid_grant":
      rejectGrant();
      return true;
  }
}
