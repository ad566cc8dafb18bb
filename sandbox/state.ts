import type { ServerResponse } from "node:http";

export type SandboxProviderName = "google" | "github";
/** Every issuer whose refresh grants the control endpoint can steer (Entra and the generic issuer count apart). */
export type RefreshTarget = SandboxProviderName | "microsoft" | "oidc";
export type RefreshMode =
  | "normal"
  | "invalid_grant"
  | "error_500"
  /** 200 with a body that is no token answer (an HTML error page from a proxy in front of it). */
  | "junk"
  | "hang"
  | "slow"
  /** Google only: Workspace session control wants the user to sign in again (invalid_grant + error_subtype). */
  | "invalid_rapt"
  /** Google only: a Workspace admin has blocked the app. */
  | "admin_policy_enforced"
  /** Microsoft only: consent needed (invalid_grant, AADSTS65001). */
  | "AADSTS65001"
  /** Microsoft only: the grant was revoked (password reset, sessions revoked). */
  | "AADSTS50173"
  /** Microsoft only: the refresh token expired after 90 days unused. */
  | "AADSTS700082"
  /** Microsoft only: the code or refresh token expired due to inactivity. */
  | "AADSTS70008"
  /** Microsoft only: multi-factor authentication required (interaction_required). */
  | "AADSTS50076"
  /** Microsoft only: the user must enrol in multi-factor authentication (interaction_required). */
  | "AADSTS50079"
  /** Microsoft only: an administrator has disabled the app in the user's tenant. */
  | "AADSTS7000112";

/** A refresh mode that answers with the provider's refusal (rather than an outage or a delay). */
export type RefusalMode = Exclude<RefreshMode, "normal" | "slow" | "hang" | "error_500" | "junk">;

/** Refresh modes only the Google sandbox has. */
export const GOOGLE_ONLY_MODES: readonly RefreshMode[] = ["invalid_rapt", "admin_policy_enforced"];

/** Refresh modes only the Microsoft sandbox has: Entra's AADSTS refusals. */
export const MICROSOFT_ONLY_MODES: readonly RefreshMode[] = [
  "AADSTS65001",
  "AADSTS50173",
  "AADSTS700082",
  "AADSTS70008",
  "AADSTS50076",
  "AADSTS50079",
  "AADSTS7000112",
];

/** How the generic issuer's discovery document answers: as it should, naming another issuer, or 503. */
export type OidcDiscoveryMode = "normal" | "issuer_mismatch" | "down";

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
  refreshMode: Record<RefreshTarget, RefreshMode>;
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
  /** The same counts for Entra and the generic issuer, apart (GET /control/issuer-stats): tests compare `stats` whole. */
  issuerStats: { microsoft: IssuerCounts; oidc: IssuerCounts };
  /**
   * Microsoft Continuous Access Evaluation: emails (lowercase) whose tokens from a `cp1` client Graph
   * now challenges with `insufficient_claims`, until an authorization carrying the claims.
   */
  caeChallenged: Set<string>;
  /** The generic issuer (/oidc): does a refresh rotate the refresh token, and how does discovery answer. */
  oidcRotatesRefreshTokens: boolean;
  oidcDiscovery: OidcDiscoveryMode;
  /** Refresh requests held open by the "hang" mode, answered never (destroyed on mode change or close). */
  hanging: Set<ServerResponse>;
};

type IssuerCounts = { tokenRequests: number; refreshRequests: number; revocations: number };

const perProvider = () => ({ google: 0, github: 0 });
const issuerCounts = (): IssuerCounts => ({ tokenRequests: 0, refreshRequests: 0, revocations: 0 });

export function createState(accessTokenTtlSeconds?: number): SandboxState {
  return {
    accessTokenTtlSeconds,
    refreshMode: { google: "normal", github: "normal", microsoft: "normal", oidc: "normal" },
    slowRefreshMs: DEFAULT_SLOW_REFRESH_MS,
    clockOffsetMs: 0,
    publishingStatus: "production",
    refreshTokenLimit: DEFAULT_REFRESH_TOKEN_LIMIT,
    stats: { refreshRequests: perProvider(), tokenRequests: perProvider(), revocations: perProvider() },
    issuerStats: { microsoft: issuerCounts(), oidc: issuerCounts() },
    caeChallenged: new Set(),
    oidcRotatesRefreshTokens: true,
    oidcDiscovery: "normal",
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
  provider: RefreshTarget,
  res: ServerResponse,
  rejectGrant: (mode: RefusalMode) => void,
): Promise<boolean> {
  if (provider === "microsoft" || provider === "oidc") state.issuerStats[provider].refreshRequests += 1;
  else state.stats.refreshRequests[provider] += 1;
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
    case "junk":
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end("<html><body>Service temporarily overloaded</body></html>");
      return true;
    default:
      rejectGrant(state.refreshMode[provider]);
      return true;
  }
}
