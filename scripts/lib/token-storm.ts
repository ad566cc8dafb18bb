import type { AccessTokenResult } from "../../lib/connected-accounts";
import { describeError } from "../../lib/result";
import { startGoWorker, type GoWorker } from "./go-worker";

/** `code` is getAccessToken's error code, or "threw: <message>" when it threw (a database error). */
export type StormOutcome = { ok: true; token: string; ms: number } | { ok: false; code: string; ms: number };

/** One getAccessToken call, timed, as a storm outcome: its token, its error code, or what it threw. */
export async function stormOutcome(call: () => Promise<AccessTokenResult>): Promise<StormOutcome> {
  const started = performance.now();
  const outcome = await call().then(
    (result) =>
      result.ok ? { ok: true as const, token: result.accessToken } : { ok: false as const, code: result.error.code },
    (error: unknown) => ({ ok: false as const, code: thrownCode(error) }),
  );
  return { ...outcome, ms: performance.now() - started };
}

function thrownCode(error: unknown): string {
  return `threw: ${describeError(error)}`;
}

export type StormWorker = GoWorker<StormOutcome[]>;

/**
 * One Node process that makes `callers` concurrent getAccessToken calls for one account on `go`;
 * its result is every caller's outcome. With `warmUpUserId` (an account of its own), it first
 * refreshes that account 20 times, as a server that has been running would have.
 */
export function startStormWorker(options: {
  env: Record<string, string>;
  userId: string;
  provider: "google" | "github";
  callers: number;
  warmUpUserId?: string;
}): StormWorker {
  const { userId, provider, callers, warmUpUserId } = options;
  return startGoWorker(
    "scripts/lib/token-storm-worker.ts",
    [userId, provider, String(callers), ...(warmUpUserId ? [warmUpUserId] : [])],
    { ...process.env, ...options.env },
  );
}

/**
 * Runs a refresh storm: `processes` separate Node processes, each with `callersPerProcess`
 * concurrent getAccessToken calls for the same account, released at the same moment. With
 * `warmUpUserIds` (one per process), each process warms up on its own account first, and
 * `beforeGo` runs once all are ready (to reset the provider's counters, say).
 */
export async function runTokenStorm(options: {
  env: Record<string, string>;
  userId: string;
  provider: "google" | "github";
  processes: number;
  callersPerProcess: number;
  warmUpUserIds?: readonly string[];
  beforeGo?: () => Promise<unknown>;
}): Promise<StormOutcome[]> {
  const { processes, callersPerProcess, warmUpUserIds, beforeGo, ...worker } = options;
  const workers = Array.from({ length: processes }, (_, index) =>
    startStormWorker({ ...worker, callers: callersPerProcess, warmUpUserId: warmUpUserIds?.[index] }),
  );
  await Promise.all(workers.map((each) => each.ready));
  await beforeGo?.();
  for (const each of workers) each.go();
  return (await Promise.all(workers.map((each) => each.result))).flat();
}
