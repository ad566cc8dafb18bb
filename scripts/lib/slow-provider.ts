import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { authorizeGoogle, sandboxControl } from "../../sandbox/test-client";
import { startGoWorker } from "./go-worker";
import { linkedUser } from "./linked-account";
import { percentile, round } from "./stats";
import type { SlowProviderReport } from "./slow-provider-worker";
import { warmUpUsers } from "./warm-up";

const PROCESSES = 4;
const POOL_SIZE = 10;
const PROVIDER_DELAY_MS = Number(process.env.BENCH_SLOW_PROVIDER_DELAY_MS ?? 2000);

/**
 * The `slow_provider` case of `npm run bench:tokens`: the provider answers every refresh in 2 s,
 * `accounts` different accounts expire at once and are refreshed from 4 processes with a pool of
 * 10 connections each, while each process runs the session lookup in a loop on that same pool.
 * Each process first refreshes an account of its own 20 times, as a server that has run a while
 * would have (as the storm's processes do). `ratio` is the lookup's p99 during the refreshes
 * against its p99 at rest (in the same processes); `floor_ratio` the same for the floor: the same
 * burst of provider calls without the refresh's own database and crypto work
 * (scripts/lib/slow-provider-worker.ts), what 2 shared cores allow.
 */
export async function runSlowProvider(options: { db: PrismaClient; sandboxUrl: string; accounts: number }) {
  const { db, sandboxUrl, accounts } = options;
  const userIds: string[] = [];
  const refreshTokens: string[] = [];
  for (let batch = 0; batch < accounts; batch += 10) {
    const size = Math.min(10, accounts - batch);
    const linked = await Promise.all(
      Array.from({ length: size }, async () => {
        const tokens = await authorizeGoogle(sandboxUrl, { email: `slow-${randomUUID()}@example.com` });
        return { ...(await linkedUser(db, "google", tokens)), refreshToken: tokens.refresh_token! };
      }),
    );
    userIds.push(...linked.map((each) => each.userId));
    refreshTokens.push(...linked.map((each) => each.refreshToken));
  }
  await db.account.updateMany({
    where: { userId: { in: userIds } },
    data: { expires_at: Math.floor(Date.now() / 1000) - 5 },
  });
  const sessionToken = randomUUID();
  await db.session.create({
    data: { sessionToken, userId: userIds[0]!, expires: new Date(Date.now() + 3_600_000) },
  });

  // Each worker warms up on an account of its own, while the provider still answers at once.
  const warmUpUserIds = await warmUpUsers(db, sandboxUrl, PROCESSES);

  const control = sandboxControl(sandboxUrl);
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  databaseUrl.searchParams.set("connection_limit", String(POOL_SIZE));
  try {
    const perProcess = Math.ceil(userIds.length / PROCESSES);
    const share = <T>(items: T[], index: number) => items.slice(index * perProcess, (index + 1) * perProcess);
    const workers = Array.from({ length: PROCESSES }, (_, index) =>
      startWorker(
        share(userIds, index),
        share(refreshTokens, index),
        sessionToken,
        warmUpUserIds[index]!,
        databaseUrl.href,
      ),
    );
    await Promise.all(workers.map((worker) => worker.ready));
    await control.reset();
    await control.refreshMode("google", "slow", { delayMs: PROVIDER_DELAY_MS });
    for (const worker of workers) worker.go();
    const reports = await Promise.all(workers.map((worker) => worker.result));
    const rest = reports.flatMap((report) => report.rest);
    const during = reports.flatMap((report) => report.during);
    const outcomes = reports.flatMap((report) => report.outcomes);
    const floor = reports.flatMap((report) => report.floor);
    const refreshMs = outcomes.map((outcome) => outcome.ms);
    return {
      case: "slow_provider",
      accounts: outcomes.length,
      processes: PROCESSES,
      pool_size: POOL_SIZE,
      provider_delay_ms: PROVIDER_DELAY_MS,
      // The floor's grants reached the provider too, one each.
      refreshes: (await control.refreshRequests()).google - refreshTokens.length,
      errors: outcomes.filter((outcome) => !outcome.ok).length,
      floor_errors: reports.reduce((sum, report) => sum + report.floorErrors, 0),
      refresh_p50_ms: round(percentile(refreshMs, 50)),
      refresh_max_ms: round(Math.max(...refreshMs)),
      lookups_at_rest: rest.length,
      lookups_during: during.length,
      lookups_floor: floor.length,
      rest_p99_ms: round(percentile(rest, 99)),
      during_p99_ms: round(percentile(during, 99)),
      during_max_ms: round(Math.max(...during)),
      floor_p99_ms: round(percentile(floor, 99)),
      ratio: round(percentile(during, 99) / percentile(rest, 99), 2),
      floor_ratio: round(percentile(floor, 99) / percentile(rest, 99), 2),
    };
  } finally {
    await control.refreshMode("google", "normal");
  }
}

function startWorker(
  userIds: string[],
  refreshTokens: string[],
  sessionToken: string,
  warmUpUserId: string,
  databaseUrl: string,
) {
  const args = [userIds.join(","), refreshTokens.join(","), sessionToken, warmUpUserId];
  return startGoWorker<SlowProviderReport>("scripts/lib/slow-provider-worker.ts", args, {
    ...process.env,
    DATABASE_URL: databaseUrl,
  });
}
