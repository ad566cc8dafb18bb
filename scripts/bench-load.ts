// `npm run bench:load`: autocannon against `next start` of the production build, on embedded
// PostgreSQL and the sandbox, all on 127.0.0.1. Seeds users with database sessions and linked
// Google accounts, then loads each case with the same connections for the same time. Prints one
// JSON line per case; figures are ratios against a baseline route measured in the same run.
// Exits non-zero when a goal is missed: any non-2xx answer or connection error, or a number of
// upstream refreshes other than the number of accounts whose token expired during the run.
//
// BENCH_LOAD_SECONDS (20), BENCH_LOAD_CONNECTIONS (50), BENCH_LOAD_USERS (100) shorten it for a
// quick local run; BENCH_SKIP_BUILD=1 reuses the existing .next build.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { authorizeGoogle, sandboxControl, type TokenAnswer } from "../sandbox/test-client";
import { startAppServer } from "./lib/app-server";
import { EXPIRY_MARGIN_SECONDS } from "../lib/connected-accounts/refresh";
import { round } from "./lib/stats";
import { buildApp, startTestStack } from "./lib/test-stack";
import { insertSession } from "./lib/test-session";

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 100);
const WARMUP_REQUESTS = Math.max(3 * USERS, 300);
// Auth.js's default session maxAge: a session this fresh is never due for an update (a write) on read.
const SESSION_DAYS = 30;

// A route with no database work: Auth.js's CSRF endpoint (proxy with security headers, Auth.js
// request parsing, a random token and its SHA-256, a Set-Cookie, a JSON answer).
const BASELINE = "/api/auth/csrf";
const LIST = "/api/connected-accounts";
const TOKEN = "/api/connected-accounts/google/token";

if (!process.env.BENCH_SKIP_BUILD) buildApp("ignore");

mkdirSync(".data", { recursive: true });
const stack = await startTestStack("bench-load");
const { database, sandbox } = stack;
const app = await startAppServer(
  {
    ...stack.env,
    // The per-user rate limits stay in the request path (their PostgreSQL upsert is part of what
    // is measured) but must not answer 429: this load sends hundreds of requests per user per minute.
    RATE_LIMIT_TOKEN_PER_MINUTE: "1000000",
    RATE_LIMIT_ACTIONS_PER_MINUTE: "1000000",
  },
  { logFile: ".data/bench-load-next-server.log" },
);

let failed = false;
try {
  const users = await seedUsers();
  const cookies = users.map((user) => `authjs.session-token=${user.sessionToken}`);

  for (const path of [BASELINE, LIST, TOKEN]) await load(path, cookies, { amount: WARMUP_REQUESTS });

  const baseline = await measure("load_baseline", BASELINE, cookies, () => 0);
  const baselineRps = baseline.rps;
  const baselineP50 = baseline.p50_ms;
  const withBaseline = (line: Record<string, unknown> & { rps: number; p50_ms: number }) => ({
    ...line,
    baseline: BASELINE,
    baseline_rps: baselineRps,
    baseline_p50_ms: baselineP50,
    ratio_rps: round(line.rps / baselineRps, 2),
    ratio_p50: round(line.p50_ms / baselineP50, 2),
  });

  await measure("load_list", LIST, cookies, () => 0, withBaseline);
  await measure("load_token_fresh", TOKEN, cookies, () => 0, withBaseline);

  // Each account's token turns expired (expires_at − margin) at its own moment between 10 % and
  // 70 % of the run, so every account is still requested many times after it expired.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const start = Date.now() / 1000;
  const expiries = users.map((_, index) => start + SECONDS * (0.1 + (0.6 * index) / Math.max(1, users.length - 1)));
  await client.query(
    `UPDATE "Account" AS a SET expires_at = v.expires_at FROM unnest($1::text[], $2::int[]) AS v(id, expires_at) WHERE a.id = v.id`,
    [users.map((user) => user.accountId), expiries.map((moment) => Math.ceil(moment + EXPIRY_MARGIN_SECONDS))],
  );
  await measure(
    "load_token_expiring",
    TOKEN,
    cookies,
    (finishedAt) => expiries.filter((moment) => Math.ceil(moment) < finishedAt).length,
    async (line) => {
      const { rows } = await client.query<{ refreshed: string }>(
        `SELECT count(*) AS refreshed FROM "Account" WHERE id = ANY($1::text[]) AND "refreshedAt" >= to_timestamp($2)`,
        [users.map((user) => user.accountId), start],
      );
      return { ...withBaseline(line), accounts: users.length, accounts_refreshed: Number(rows[0]!.refreshed) };
    },
  );
  await client.end();
} finally {
  await app.stop();
  await stack.stop();
}
if (failed) process.exitCode = 1;

type LoadLine = Record<string, unknown> & { rps: number; p50_ms: number };

/** Runs one case, prints its JSON line, and records a missed goal. */
async function measure(
  name: string,
  path: string,
  cookies: string[],
  expectedRefreshes: (finishedAtSeconds: number) => number,
  decorate: (line: LoadLine) => LoadLine | Promise<LoadLine> = (line) => line,
): Promise<LoadLine> {
  const before = (await sandboxControl(sandbox.url).refreshRequests()).google;
  const result = await load(path, cookies, { duration: SECONDS });
  const upstreamRefreshes = (await sandboxControl(sandbox.url).refreshRequests()).google - before;
  const expected = expectedRefreshes(result.finish.getTime() / 1000);
  const met = result.non2xx === 0 && result.errors === 0 && upstreamRefreshes === expected;
  failed ||= !met;
  const line = await decorate({
    case: name,
    path,
    connections: CONNECTIONS,
    seconds: SECONDS,
    users: cookies.length,
    requests: result.requests.total,
    rps: round(result.requests.total / result.duration, 1),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    upstream_refreshes: upstreamRefreshes,
    expected_refreshes: expected,
  });
  console.log(JSON.stringify({ ...line, goal_met: met }));
  return line;
}

/** autocannon on `path`, each request sent as the next seeded user in turn. */
function load(
  path: string,
  cookies: string[],
  limit: { duration: number } | { amount: number },
): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: app.url,
    connections: CONNECTIONS,
    ...limit,
    requests: [
      {
        method: "GET",
        path,
        setupRequest: (request) => {
          const cookie = cookies[next++ % cookies.length]!;
          return { ...request, headers: { ...request.headers, cookie } };
        },
      },
    ],
  });
}

/**
 * USERS users, each with a database session and a Google account linked through the app's own
 * code path (tokens encrypted like a real sign-in's) from real sandbox tokens.
 */
async function seedUsers(): Promise<{ userId: string; sessionToken: string; accountId: string }[]> {
  const emails = Array.from({ length: USERS }, (_, index) => `bench-load-${index}@example.com`);
  const tokens: TokenAnswer[] = [];
  for (let index = 0; index < emails.length; index += 10) {
    tokens.push(
      ...(await Promise.all(emails.slice(index, index + 10).map((email) => authorizeGoogle(sandbox.url, { email })))),
    );
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const users = [];
  for (const email of emails) {
    const userId = `bench-${randomBytes(6).toString("hex")}`;
    await client.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, 'Bench', now())`, [
      userId,
      email,
    ]);
    users.push({ userId, sessionToken: await insertSession(client, userId, SESSION_DAYS) });
  }
  await client.end();
  Object.assign(process.env, stack.env);
  const { linkedUser } = await import("./lib/linked-account");
  const { getDb } = await import("../lib/db");
  const seeded = [];
  for (const [index, user] of users.entries()) {
    await linkedUser(getDb(), "google", tokens[index]!, user.userId);
    const account = await getDb().account.findFirstOrThrow({ where: { userId: user.userId }, select: { id: true } });
    seeded.push({ ...user, accountId: account.id });
  }
  await getDb().$disconnect();
  return seeded;
}
