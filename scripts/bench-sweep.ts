// `npm run bench:sweep`: the background sweep on a real embedded PostgreSQL and the sandbox.
// Seeds 10,000 accounts, 1,000 of them due (real GitHub App grants, whose refresh tokens rotate: a
// second refresh of one fails and shows), runs 4 sweepers at once in separate processes, and prints
// one JSON line. The yardstick, measured in the same run on the same table: one sweep of a single
// due account.
import { once } from "node:events";
import { authorizeGithub, sandboxControl } from "../sandbox/test-client";
import { startGoWorker, type GoWorker } from "./lib/go-worker";
import { linkedUser } from "./lib/linked-account";
import { percentile, round } from "./lib/stats";
import type { SweeperResult } from "./lib/sweep-worker";
import { startTestStack } from "./lib/test-stack";

const ACCOUNTS = Number(process.env.BENCH_SWEEP_ACCOUNTS ?? 10_000);
const DUE = Number(process.env.BENCH_SWEEP_DUE ?? 1_000);
const SWEEPERS = Number(process.env.BENCH_SWEEPERS ?? 4);
const YARDSTICK_SWEEPS = 20;
const MARGIN_SECONDS = 600;
/** Sandbox grants obtained at once while seeding. */
const GRANTS_AT_ONCE = 50;
/** Rows per insert of the accounts that are not due. */
const INSERT_BATCH = 1_000;

const { sandbox, env, stop } = await startTestStack("bench-sweep");
const sweepers: GoWorker<SweeperResult>[] = [];
try {
  Object.assign(process.env, env);
  // Imported after the environment is set: lib/env reads it on first use.
  const { getDb } = await import("../lib/db");
  const { sweepDueAccounts } = await import("../lib/connected-accounts");
  const { sealTokenColumns } = await import("../lib/connected-accounts/sealed-tokens");
  const db = getDb();
  const control = sandboxControl(sandbox.url);

  /** `count` users with a GitHub account linked from a real sandbox grant; not due yet (8-hour tokens, never used). */
  async function linkGithubAccounts(count: number, label: string): Promise<string[]> {
    const userIds: string[] = [];
    for (let first = 0; first < count; first += GRANTS_AT_ONCE) {
      const batch = Array.from({ length: Math.min(GRANTS_AT_ONCE, count - first) }, (_, index) => first + index);
      const linked = await Promise.all(
        batch.map(async (index) =>
          linkedUser(db, "github", await authorizeGithub(sandbox.url, { email: `${label}-${index}@example.com` })),
        ),
      );
      userIds.push(...linked.map((each) => each.userId));
    }
    return userIds;
  }

  /** Makes these users' accounts due: in use, their tokens expiring within the margin. */
  async function makeDue(userIds: string[]): Promise<void> {
    await db.$executeRaw`
      UPDATE "Account" SET expires_at = extract(epoch FROM now())::int + 60, "lastUsedAt" = now()
      WHERE "userId" = ANY(${userIds})`;
  }

  // Not due, in three kinds: in use with a token valid for 2 hours; idle for 30 days with a token
  // about to expire; never used with a token expired a day ago. All refreshed a day ago, so the
  // keep-alive does not apply either.
  const notDue = ACCOUNTS - DUE;
  const nowSeconds = Math.floor(Date.now() / 1000);
  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  for (let first = 0; first < notDue; first += INSERT_BATCH) {
    const indexes = Array.from({ length: Math.min(INSERT_BATCH, notDue - first) }, (_, index) => first + index);
    await db.user.createMany({
      data: indexes.map((index) => ({ id: `not-due-${index}`, email: `not-due-${index}@example.com` })),
    });
    await db.account.createMany({
      data: indexes.map((index) => {
        const key = { userId: `not-due-${index}`, provider: "github", providerAccountId: `not-due-${index}` };
        const kind = index % 3;
        return {
          ...key,
          id: `not-due-${index}`,
          type: "oauth",
          ...sealTokenColumns(key, { access_token: `ghu_not_due_${index}`, refresh_token: `ghr_not_due_${index}` }),
          expires_at: nowSeconds + [2 * 60 * 60, 60, -24 * 60 * 60][kind]!,
          lastUsedAt: [new Date(), daysAgo(30), null][kind],
          refreshedAt: daysAgo(1),
        };
      }),
    });
  }
  const dueUserIds = await linkGithubAccounts(DUE, "due");
  const yardstickUserIds = await linkGithubAccounts(YARDSTICK_SWEEPS, "yardstick");
  // Planner statistics, as a table in production has them.
  await db.$executeRaw`ANALYZE "User", "Account"`;

  // The yardstick: one sweeper, one due account at a time, on the full table.
  const yardstickMs: number[] = [];
  for (const userId of yardstickUserIds) {
    await makeDue([userId]);
    const started = performance.now();
    const report = await sweepDueAccounts({ marginSeconds: MARGIN_SECONDS, concurrency: 1 });
    yardstickMs.push(performance.now() - started);
    if (report.claimed !== 1 || report.refreshed !== 1) {
      throw new Error(`a sweep of one due account reported ${JSON.stringify(report)}`);
    }
  }
  const refreshP50 = percentile(yardstickMs, 50);

  await makeDue(dueUserIds);
  // Closed, so that its connections report their transaction counts now (PostgreSQL publishes a
  // connection's counts up to 10 s late, or as it exits); the next query opens a new one.
  await db.$disconnect();
  sweepers.push(
    ...Array.from({ length: SWEEPERS }, () =>
      startGoWorker<SweeperResult>("scripts/lib/sweep-worker.ts", [String(MARGIN_SECONDS)], process.env),
    ),
  );
  await Promise.all(sweepers.map((sweeper) => sweeper.ready));
  await control.reset();
  const transactions = async () => {
    const [row] = await db.$queryRaw<[{ count: bigint }]>`
      SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = current_database()`;
    return Number(row.count);
  };
  const transactionsBefore = await transactions();
  const started = performance.now();
  for (const sweeper of sweepers) sweeper.go();
  const results = await Promise.all(sweepers.map((sweeper) => sweeper.result));
  const totalMs = performance.now() - started;
  await Promise.all(
    sweepers.map(({ process: child }) =>
      child.exitCode === null && child.signalCode === null ? once(child, "exit") : undefined,
    ),
  );
  // A sweeper's connections report their counts as they close, just after the process exits.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const transactionsDuring = (await transactions()) - transactionsBefore;

  const [counts] = await db.$queryRaw<[{ refreshed: bigint; needs_reconnect: bigint; not_due_touched: bigint }]>`
    SELECT
      count(*) FILTER (WHERE "userId" = ANY(${dueUserIds}) AND "refreshedAt" IS NOT NULL) AS refreshed,
      count(*) FILTER (WHERE status = 'needs_reconnect') AS needs_reconnect,
      count(*) FILTER (WHERE id LIKE 'not-due-%' AND (
        version > 0 OR "refreshedAt" > (now() AT TIME ZONE 'UTC') - interval '1 hour'
        OR "refreshLeaseUntil" IS NOT NULL OR "refreshFailures" > 0
      )) AS not_due_touched
    FROM "Account"`;
  const refreshed = Number(counts.refreshed);
  const upstreamRefreshes = (await control.refreshRequests()).github;
  const reports = results.map((result) => result.report);
  const msPerDueAccount = totalMs / DUE;
  const summary = {
    case: "sweep",
    accounts: ACCOUNTS,
    due: DUE,
    refreshed,
    double_refreshes: upstreamRefreshes - refreshed,
    sweepers: SWEEPERS,
    ms_per_due_account: round(msPerDueAccount),
    total_ms: round(totalMs),
    refresh_p50_ms: round(refreshP50),
    ratio: round(msPerDueAccount / refreshP50, 2),
    db_statements_per_due_account: round(transactionsDuring / DUE, 2),
    claimed_by_sweeper: reports.map((report) => report.claimed),
    errors:
      reports.reduce((sum, report) => sum + report.failed + report.reconnect, 0) +
      Number(counts.needs_reconnect) +
      Number(counts.not_due_touched),
  };
  console.log(JSON.stringify(summary));
  if (refreshed !== DUE || summary.double_refreshes !== 0 || summary.errors !== 0) {
    throw new Error(
      `the sweep refreshed ${refreshed} of ${DUE} due accounts, ${summary.double_refreshes} twice, with ` +
        `${summary.errors} errors (failed or reconnect reports, accounts marked needs_reconnect, not-due accounts touched)`,
    );
  }
  await db.$disconnect();
} finally {
  for (const sweeper of sweepers) sweeper.process.kill();
  await stop();
}
