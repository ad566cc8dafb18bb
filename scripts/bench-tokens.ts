// `npm run bench:tokens`: getAccessToken on a real embedded PostgreSQL and the sandbox.
// Prints one JSON line per case. Figures are ratios against a baseline measured in the same run.
import { authorizeGoogle, sandboxControl } from "../sandbox/test-client";
import { percentile, round, timeRuns } from "./lib/stats";
import { startTestStack } from "./lib/test-stack";
import { runTokenStorm } from "./lib/token-storm";
import { runSlowProvider } from "./lib/slow-provider";
import { warmUpUsers } from "./lib/warm-up";

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const REFRESH_RUNS = Number(process.env.BENCH_REFRESH_RUNS ?? 20);
const STORM_PROCESSES = 4;
const STORM_ROUNDS = Number(process.env.BENCH_STORMS ?? 5);
const SLOW_PROVIDER_ACCOUNTS = Number(process.env.BENCH_SLOW_PROVIDER_ACCOUNTS ?? 100);
/** A case's percentiles, and its p50 as a ratio of a baseline's measured in the same rounds. */
function comparedCase(name: string, samples: number[], baseline: number[]) {
  return {
    case: name,
    runs: samples.length,
    p50_ms: round(percentile(samples, 50)),
    p99_ms: round(percentile(samples, 99)),
    baseline_p50_ms: round(percentile(baseline, 50)),
    baseline_p99_ms: round(percentile(baseline, 99)),
    ratio: round(percentile(samples, 50) / percentile(baseline, 50), 2),
  };
}

const { sandbox, env, stop } = await startTestStack("bench");
try {
  Object.assign(process.env, env);
  // Imported after the environment is set: lib/env reads it on first use.
  const { getDb } = await import("../lib/db");
  const { createLinkedAccount, getAccessToken } = await import("../lib/connected-accounts");
  const db = getDb();

  const tokens = await authorizeGoogle(sandbox.url, { email: "bench@example.com" });
  const user = await db.user.create({ data: { email: "bench@example.com" } });
  await createLinkedAccount(db, {
    userId: user.id,
    type: "oidc",
    provider: "google",
    providerAccountId: "bench-account",
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    id_token: tokens.id_token,
    expires_in: tokens.expires_in,
    scope: tokens.scope,
  });
  const account = await db.account.findFirstOrThrow({ where: { userId: user.id } });

  // Baseline and case interleaved in rounds, so machine noise hits both alike.
  const baseline: number[] = [];
  const fresh: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    baseline.push(...(await timeRuns(RUNS / 10, () => db.account.findUnique({ where: { id: account.id } }))));
    fresh.push(...(await timeRuns(RUNS / 10, () => getAccessToken(user.id, { provider: "google" }))));
  }
  const baselineP50 = percentile(baseline, 50);
  console.log(JSON.stringify(comparedCase("fresh", fresh, baseline)));

  // A call that also writes its use (lastUsedAt and the feature), which happens at most once a
  // minute per account: its extra cost over a plain call, interleaved the same way.
  const ageUse = () =>
    db.$executeRaw`UPDATE "Account" SET "lastUsedAt" = now() - interval '2 minutes' WHERE id = ${account.id}`;
  const plain: number[] = [];
  const noted: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    plain.push(...(await timeRuns(RUNS / 20, () => getAccessToken(user.id, { provider: "google", feature: "Bench" }))));
    for (let run = 0; run < RUNS / 20; run += 1) {
      await ageUse();
      noted.push(...(await timeRuns(1, () => getAccessToken(user.id, { provider: "google", feature: "Bench" }), 0)));
    }
  }
  const usage = comparedCase("use_noted", noted, plain);
  console.log(JSON.stringify({ ...usage, extra_ms: round(usage.p50_ms - usage.baseline_p50_ms) }));

  const expire = () =>
    db.account.update({ where: { id: account.id }, data: { expires_at: Math.floor(Date.now() / 1000) - 5 } });

  // One uncontended refresh: the yardstick for the storm.
  const refreshes: number[] = [];
  for (let run = 0; run < REFRESH_RUNS; run += 1) {
    await expire();
    const started = performance.now();
    const result = await getAccessToken(user.id, { provider: "google" });
    refreshes.push(performance.now() - started);
    if (!result.ok) throw new Error(`uncontended refresh failed: ${result.error.code}`);
  }
  const refreshP50 = percentile(refreshes, 50);
  console.log(
    JSON.stringify({
      case: "refresh",
      runs: refreshes.length,
      p50_ms: round(refreshP50),
      p99_ms: round(percentile(refreshes, 99)),
      baseline_p50_ms: round(baselineP50),
    }),
  );

  // Each storm process first refreshes an account of its own, as a running server would have.
  const warmUpUserIds = await warmUpUsers(db, sandbox.url, STORM_PROCESSES);
  // Several storms: one storm is one moment of a noisy machine. Every storm must make exactly one refresh.
  const outcomes = [];
  const upstreamRefreshes = [];
  for (let storm = 0; storm < STORM_ROUNDS; storm += 1) {
    await expire();
    outcomes.push(
      ...(await runTokenStorm({
        env: {},
        userId: user.id,
        provider: "google",
        processes: STORM_PROCESSES,
        callersPerProcess: 50,
        warmUpUserIds,
        beforeGo: () => sandboxControl(sandbox.url).reset(),
      })),
    );
    upstreamRefreshes.push((await sandboxControl(sandbox.url).refreshRequests()).google);
  }
  const stormDurations = outcomes.map((outcome) => outcome.ms);
  console.log(
    JSON.stringify({
      case: "storm",
      storms: STORM_ROUNDS,
      callers: outcomes.length,
      processes: STORM_PROCESSES,
      upstream_refreshes: Math.max(...upstreamRefreshes),
      errors: outcomes.filter((outcome) => !outcome.ok).length,
      distinct_tokens: new Set(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.token] : []))).size,
      p50_ms: round(percentile(stormDurations, 50)),
      p99_ms: round(percentile(stormDurations, 99)),
      refresh_p50_ms: round(refreshP50),
      ratio: round(percentile(stormDurations, 99) / refreshP50, 2),
    }),
  );

  if (SLOW_PROVIDER_ACCOUNTS > 0) {
    await sandboxControl(sandbox.url).reset();
    console.log(
      JSON.stringify(await runSlowProvider({ db, sandboxUrl: sandbox.url, accounts: SLOW_PROVIDER_ACCOUNTS })),
    );
  }
  await db.$disconnect();
} finally {
  await stop();
}
