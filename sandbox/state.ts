import type { ServerResponse } from "node:http";

export type SandboxProviderName = "google" | "github";
export type RefreshMode =
  | "normal"
  | "invalid_grant"
  | "error_500"
  | "hang"
  | "slow"
  /** Google only: Workspace session control wants the user to sign in again (invalid_grant + error_subtype). */
  | "invalid_rapt"
  /** Google only: a Workspace admin has blocked the app. */
  | "admin_policy_enforced";

/** Refresh modes only the Google sandbox has. */
export const GOOGLE_ONLY_MODES: readonly RefreshMode[] = ["invalid_rapt", "admin_policy_enforced"];

/** Google's "Testing" publishing status: refresh tokens beyond name/email/profile die after 7 days. */
export type PublishingStatus = "production" | "testing";

/** Google's cap on live refresh tokens per account per client; the oldest is dropped silently beyond it. */
export const DEFAULT_REFRESH_TOKEN_LIMIT = 100;

/** How long the "slow" mode holds a refresh before answering it normally, unless set by the control call. */
export const DEFAULT_SLOW_REFRESH_MS = 1500;

/** What the control endpoint can change and count, shared by every part of the sandbox. */
export type SandboxState = {
  /** Lifetime of new access tokens; undefined = each provider's own (Google 3599 s, GitHub App 8 h). */
  accessTokenTtlSeconds: number | undefined;
  refreshMode: Record<SandboxProviderName, RefreshMode>;
  slowRefreshMs: number;
  /** Added to the real clock wherever the sandbox judges a token's age (tests jump days or months ahead). */
  clockOffsetMs: number;
  publishingStatus: PublishingStatus;
  refreshTokenLimit: number;
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
    clockOffsetMs: 0,
    publishingStatus: "production",
    refreshTokenLimit: DEFAULT_REFRESH_TOKEN_LIMIT,
    stats: { refreshRequests: perProvider(), tokenRequests: perProvider(), revocations: perProvider() },
    hanging: new Set(),
  };
}

export function resetState(state: SandboxState, defaultTtl: number | undefined): void {
  releaseHanging(state);
  Object.assign(state, { ...createState(defaultTtl), hanging: state.hanging });
}

/** The sandbox's clock: the real one plus the offset set by the control endpoint. */
export function sandboxNow(state: Pick<SandboxState, "clockOffsetMs">): number {
  return Date.now() + state.clockOffsetMs;
}

export function releaseHanging(state: SandboxState): void {
  for (const res of state.hanging) res.destroy();
  state.hanging.clear();
}

/**
 * Applies the refresh mode to a refresh-grant request. Resolves true when it answered (or parked)
 * the request, false when the normal token endpoint should handle it (after a delay in "slow"
 * mode). `rejectGrant` answers in the provider's own words for a dead refresh token, or for one
 * of the provider's own refusals (`mode`: the Google-only modes).
 */
export async function interceptRefresh(
  state: SandboxState,
  provider: SandboxProviderName,
  res: ServerResponse,
  rejectGrant: (mode: "invalid_grant" | "invalid_rapt" | "admin_policy_enforced") => void,
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
    case "invalid_rapt":
    case "admin_policy_enforced":
      rejectGrant(state.refreshMode[provider]);
      return true;
  }
}
