// `npm run bench`: builds the app once, runs bench:tokens, bench:sweep, bench:page, bench:load and
// bench:mcp one after another, collects the JSON lines they print, and prints one markdown table
// with each case's headline figures and goal, plus the machine. Exits non-zero if a benchmark
// failed or a goal was missed.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { buildApp } from "./lib/test-stack";

const BENCHMARKS = ["bench:tokens", "bench:sweep", "bench:page", "bench:load", "bench:mcp"] as const;
const TIMEOUT_MS = 15 * 60_000;

type Line = Record<string, number | string | boolean>;
type Row = { headline: string; goal: string; met?: boolean };

/** Headline and goal per case; a case not listed here is shown as its raw JSON. */
const ROWS: Record<string, (line: Line) => Row> = {
  fresh: (l) => ({
    headline: `p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms; ${l.ratio}× an indexed findUnique`,
    goal: "≤ 1.0×",
    met: Number(l.ratio) <= 1,
  }),
  use_noted: (l) => ({
    headline: `a call that writes its use (once a minute per account): p50 ${l.p50_ms} ms, ${l.extra_ms} ms more than a plain call (${l.ratio}×)`,
    goal: "≤ 3× a plain call, once a minute",
    met: Number(l.ratio) <= 3,
  }),
  refresh: (l) => ({ headline: `one uncontended refresh: p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms`, goal: "none set" }),
  storm: (l) => ({
    headline: `${l.storms} storms of ${Number(l.callers) / Number(l.storms)} callers in ${l.processes} processes: at most ${l.upstream_refreshes} upstream refresh each, ${l.distinct_tokens} tokens, ${l.errors} errors; p99 ${l.p99_ms} ms = ${l.ratio}× one refresh`,
    goal: "1 refresh per storm, 0 errors, p99 ≤ 3× one refresh",
    met: l.upstream_refreshes === 1 && l.distinct_tokens === l.storms && l.errors === 0 && Number(l.ratio) <= 3,
  }),
  slow_provider: (l) => ({
    headline: `${l.accounts} accounts at a ${l.provider_delay_ms} ms provider from ${l.processes} processes: ${l.refreshes} refreshes, ${l.errors} errors; session lookup p99 ${l.during_p99_ms} ms vs ${l.rest_p99_ms} ms at rest: ${l.ratio}×; floor (the provider calls alone) ${l.floor_p99_ms} ms: floor_ratio ${l.floor_ratio}×`,
    goal: "≤ 2×, or within 1.25× of the floor; 0 errors",
    met:
      l.errors === 0 &&
      l.floor_errors === 0 &&
      (Number(l.ratio) <= 2 || Number(l.during_p99_ms) <= 1.25 * Number(l.floor_p99_ms)),
  }),
  sweep: (l) => ({
    headline: `${l.due} of ${l.accounts} due, ${l.sweepers} sweepers: ${l.refreshed} refreshed, ${l.double_refreshes} twice, ${l.errors} errors; ${l.ms_per_due_account} ms and ${l.db_statements_per_due_account} statements per due account`,
    goal: "every due account once, none twice",
    met: l.refreshed === l.due && l.double_refreshes === 0 && l.errors === 0,
  }),
  ttfb: (l) => ({
    headline: `p50 ${l.p50_ms} ms vs ${l.baseline_p50_ms} ms for ${l.baseline}: ${l.ratio_p50}×`,
    goal: "≤ 1.3×",
    met: Number(l.ratio_p50) <= 1.3,
  }),
  first_load_js: (l) => ({
    headline: `${l.page_kb_gzip} KB gzip, +${l.delta_kb_gzip} KB over the minimal page`,
    goal: "none set",
  }),
  tool_call_vs_fetchAs: (l) => ({
    headline: `an agent's tool call: p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms vs fetchAs p50 ${l.baseline_p50_ms} ms: ${l.ratio}×`,
    goal: String(l.goal),
    met: l.met === true,
  }),
  concurrent_agents: (l) => ({
    headline: `${l.agents} agents calling at once, ${l.calls} calls: ${l.calls_per_s} calls/s, p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms`,
    goal: "none set",
  }),
  browser_last_panel: (l) => ({
    headline: `Chromium, last Google panel shown: p50 ${l.p50_ms} ms (p95 ${l.p95_ms} ms) vs /settings/profile loaded in ${l.baseline_load_p50_ms} ms: ${l.ratio_p50}×`,
    goal: "none set",
  }),
};
const loadRow = (l: Line): Row => ({
  headline:
    `${l.rps} req/s, p50 ${l.p50_ms} ms, p99 ${l.p99_ms} ms` +
    (l.ratio_rps === undefined ? "" : `; ${l.ratio_rps}× baseline req/s, ${l.ratio_p50}× its p50`) +
    `; non-2xx ${l.non2xx}, errors ${l.errors}` +
    (Number(l.expected_refreshes) > 0
      ? `; upstream refreshes ${l.upstream_refreshes} for ${l.expected_refreshes} expired accounts`
      : ""),
  goal:
    Number(l.expected_refreshes) > 0
      ? "0 non-2xx/errors, refreshes = expired accounts"
      : "0 non-2xx/errors, 0 refreshes",
  met: l.goal_met === true,
});

buildApp("ignore");
const rows: string[] = [];
let failed = false;
for (const name of BENCHMARKS) {
  const run = spawnSync("npm", ["run", "--silent", name], {
    env: { ...process.env, BENCH_SKIP_BUILD: "1" },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    timeout: TIMEOUT_MS,
  });
  process.stdout.write(run.stdout ?? "");
  if (run.status !== 0) {
    failed = true;
    rows.push(`| ${name} | — | failed (exit ${run.status ?? run.signal ?? run.error?.message}) | | ✗ |`);
  }
  for (const text of (run.stdout ?? "").split("\n").filter((candidate) => candidate.startsWith("{"))) {
    const line = JSON.parse(text) as Line;
    const caseName = String(line.case);
    const toRow =
      ROWS[caseName] ??
      (caseName.startsWith("load_") ? loadRow : (l: Line): Row => ({ headline: JSON.stringify(l), goal: "" }));
    const row = toRow(line);
    if (row.met === false) failed = true;
    rows.push(
      `| ${name} | ${caseName} | ${row.headline} | ${row.goal} | ${row.met === undefined ? "—" : row.met ? "✓" : "✗"} |`,
    );
  }
}

const cpu = cpus();
console.log(
  `\n${cpu.length} cores, ${cpu[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log("| benchmark | case | headline | goal | met |\n| --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
if (failed) process.exitCode = 1;
