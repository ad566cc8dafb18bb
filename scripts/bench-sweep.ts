// `npm run bench:sweep`: the background sweep on a real embedded PostgreSQL and the sandbox.
// Seeds 10,000 accounts, 1,000 of them due (real GitHub App grants, whose refresh tokens rotate: a
// second refresh of one would fail and show), runs 4 sweepers at once in separate processes, and
// prints one JSON line. The yardstick, measured in the same run: one sweeper refreshing due
// accounts one at a time.
import { authorizeGithub, sandboxControl } from "../sandbox/test-client";
import { startGoWorker } from "./lib/go-worker";
import { linkedUser } from "./lib/linked-account";
import { round } from "./lib/stats";
import type { SweeperResult } from "./lib/sweep-worker";
import { startTestStack } from "./lib/test-stack";

const ACCOUNTS = Number(process.env.BENCH_SWEEP_ACCOUNTS ?? 10_000);
const DUE = Number(process.env.BENCH_SWEEP_DUE ?? 1_000);
const SWEEPERS = Number(process.env.BENCH_SWEEPERS ?? 4);
const YARDSTICK_ACCOUNTS = 20;
const MARGIN_SECONDS = 600;

const { sandbox, env, stop } = await startTestStack("bench-sweep");
try {
  Object.assign(process.env, env);
  // Imported after the environment is set: lib/env reads it on first use.
  const { getDb } = await import("../lib/db");
  const { sweepDueAccounts } = await import("../lib/connected-accounts/sweep");
  const db = getDb();
  const control = sandboxControl(sandbox.url);

  /** `count` accounts with real sandbox grants, in use, their tokens expiring within the margin. */
  async function dueAccounts(count: number, label: string): Promise<string[]> {
    const userIds: string[] = [];
    for (let batch = 0; batch < count; batch += 50) {
      const linked = await Promise.all(
        Array.from({ length: Math.min(50, count - batch) }, async (_, index) =>
          linkedUser(
            db,
            "github",
            await authorizeGithub(sandbox.url, { email: `${label}-${batch + index}@example.com` }),
          ),
        ),
      );
      userIds.push(...linked.map((each) => each.userId));
    }
    await db.$executeRaw`
      UPDATE "Account" SET expires_at = extract(epoch FROM now())::int + 60, "lastUsedAt" = now()
      WHERE "userId" = ANY(${userIds})`;
    return userIds;
  }

  // The yardstick: one sweeper, one refresh at a time.
  await dueAccounts(YARDSTICK_ACCOUNTS, "yardstick");
  const yardstickStarted = performance.now();
  const yardstick = await sweepDueAccounts({ marginSeconds: MARGIN_SECONDS, concurrency: 1 });
  const sequentialMs = (performance.now() - yardstickStarted) / yardstick.refreshed;
  if (yardstick.refreshed !== YARDSTICK_ACCOUNTS) throw new Error(`yardstick refreshed ${yardstick.refreshed}`);

  // Not due: half in use with tokens valid for 2 hours, half expiring but idle for 30 days; all refreshed lately.
  const notDue = ACCOUNTS - DUE;
  await db.$executeRaw`
    INSERT INTO "User" (id, email, "updatedAt")
    SELECT 'bench-user-' || g, 'bench-' || g || '@example.com', now() FROM generate_series(1, ${notDue}::int) AS g`;
  await db.$executeRaw`
    INSERT INTO "Account" (id, "userId", type, provider, "providerAccountId", refresh_token, access_token,
      expires_at, "lastUsedAt", "refreshedAt", "updatedAt")
    SELECT 'bench-account-' || g, 'bench-user-' || g, 'oauth', 'github', 'bench-' || g, 'unused', 'unused',
      extract(epoch FROM now())::int + CASE WHEN g % 2 = 0 THEN 7200 ELSE 60 END,
      now() - CASE WHEN g % 2 = 0 THEN interval '0' ELSE interval '30 days' END,
      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${notDue}::int) AS g`;
  const dueUserIds = await dueAccounts(DUE, "due");

  const sweepers = Array.from({ length: SWEEPERS }, () =>
    startGoWorker<SweeperResult>("scripts/lib/sweep-worker.ts", [String(MARGIN_SECONDS)], process.env),
  );
  await Promise.all(sweepers.map((sweeper) => sweeper.ready));
  await control.reset();
  const statements = async () => {
    const [row] = await db.$queryRaw<[{ count: bigint }]>`
      SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = current_database()`;
    return Number(row.count);
  };
  const statementsBefore = await statements();
  const started = performance.now();
  for (const sweeper of sweepers) sweeper.go();
  const results = await Promise.all(sweepers.map((sweeper) => sweeper.result));
  const totalMs = performance.now() - started;
  // Each sweeper's backend reports its counts when it closes (the processes have exited).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const statementsDuring = (await statements()) - statementsBefore;

  const [counts] = await db.$queryRaw<[{ refreshed: bigint; reconnect: bigint; touched: bigint }]>`
    SELECT
      count(*) FILTER (WHERE "userId" = ANY(${dueUserIds}) AND "refreshedAt" IS NOT NULL) AS refreshed,
      count(*) FILTER (WHERE status = 'needs_reconnect') AS reconnect,
      count(*) FILTER (WHERE id LIKE 'bench-account-%' AND (version > 0 OR "refreshLeaseId" IS NOT NULL)) AS touched
    FROM "Account"`;
  const refreshed = Number(counts.refreshed);
  const upstream = (await control.refreshRequests()).github;
  const reports = results.map((result) => result.report);
  const summary = {
    case: "sweep",
    accounts: ACCOUNTS,
    due: DUE,
    refreshed,
    double_refreshes: upstream - refreshed,
    sweepers: SWEEPERS,
    ms_per_due_account: round(totalMs / DUE),
    total_ms: round(totalMs),
    sequential_ms_per_account: round(sequentialMs),
    ratio: round(totalMs / DUE / sequentialMs, 2),
    db_statements_per_due_account: round(statementsDuring / DUE, 2),
    claimed_by_sweeper: reports.map((report) => report.claimed),
    errors:
      reports.reduce((sum, report) => sum + report.failed + report.reconnect, 0) +
      Number(counts.reconnect) +
      Number(counts.touched),
  };
  console.log(JSON.stringify(summary));
  if (refreshed !== DUE || summary.double_refreshes !== 0 || summary.errors !== 0) {
    throw new Error(`the sweep missed or repeated accounts: ${JSON.stringify(summary)}`);
  }
  await db.$disconnect();
} finally {
  await stop();
}
