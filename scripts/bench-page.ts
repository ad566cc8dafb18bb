// `npm run bench:page`: builds and starts the app (next start) on embedded PostgreSQL and the
// sandbox, signs in a seeded user with a linked Google account, and compares the connected-
// accounts page with the minimal signed-in /settings/profile page measured in the same run:
// time to first byte over 200 requests each (interleaved), the JavaScript each page loads, and in
// Chromium the time until the last Google panel has its data (against the profile page's load event).
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import pg from "pg";
import playwrightConfig from "../playwright.config";
import { GOOGLE_API_SCOPES } from "../sandbox/google-idp";
import { authorizeGoogle } from "../sandbox/test-client";
import { startAppServer } from "./lib/app-server";
import { percentile, round } from "./lib/stats";
import { buildApp, startTestStack } from "./lib/test-stack";
import { insertSession } from "./lib/test-session";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const BROWSER_VISITS = Number(process.env.BENCH_BROWSER_VISITS ?? 20);
const PAGE = "/settings/connected-accounts";
const BASELINE = "/settings/profile";
// A browser's User-Agent: Next.js renders pages whole, without streaming, for clients it takes for bots.
const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

if (!process.env.BENCH_SKIP_BUILD) buildApp("ignore");

const stack = await startTestStack("bench-page");
const { database, sandbox } = stack;
const app = await startAppServer(stack.env);

try {
  const cookie = await seedSignedInUser();
  const timings = { page: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < 5; i += 1) await Promise.all([ttfb(PAGE, cookie), ttfb(BASELINE, cookie)]); // warm up
  for (let i = 0; i < REQUESTS; i += 1) {
    timings.page.push(await ttfb(PAGE, cookie));
    timings.baseline.push(await ttfb(BASELINE, cookie));
  }
  const [pageJs, baselineJs] = [await firstLoadJs(PAGE, cookie), await firstLoadJs(BASELINE, cookie)];
  console.log(
    JSON.stringify({
      case: "ttfb",
      page: PAGE,
      baseline: BASELINE,
      requests: REQUESTS,
      p50_ms: round(percentile(timings.page, 50)),
      p95_ms: round(percentile(timings.page, 95)),
      baseline_p50_ms: round(percentile(timings.baseline, 50)),
      baseline_p95_ms: round(percentile(timings.baseline, 95)),
      ratio_p50: round(percentile(timings.page, 50) / percentile(timings.baseline, 50), 2),
    }),
  );
  console.log(
    JSON.stringify({
      case: "first_load_js",
      page_kb_gzip: round(pageJs / 1024, 1),
      baseline_kb_gzip: round(baselineJs / 1024, 1),
      delta_kb_gzip: round((pageJs - baselineJs) / 1024, 1),
    }),
  );
  const browserTimes = await timeToLastPanel(cookie);
  console.log(
    JSON.stringify({
      case: "browser_last_panel",
      visits: BROWSER_VISITS,
      p50_ms: round(percentile(browserTimes.page, 50)),
      p95_ms: round(percentile(browserTimes.page, 95)),
      baseline_load_p50_ms: round(percentile(browserTimes.baseline, 50)),
      ratio_p50: round(percentile(browserTimes.page, 50) / percentile(browserTimes.baseline, 50), 2),
    }),
  );
} finally {
  await app.stop();
  await stack.stop();
}

/** A user with a linked Google account (real sandbox tokens) and a database session. */
async function seedSignedInUser(): Promise<string> {
  // Every Google API scope the sandbox knows granted, so each panel calls the (sandbox) Google API,
  // as for a real user.
  const scope = ["openid", "email", "profile", ...GOOGLE_API_SCOPES].join(" ");
  const tokens = await authorizeGoogle(sandbox.url, { email: "bench-page@example.com", scope });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const userId = `bench-${randomBytes(6).toString("hex")}`;
  await client.query(
    `INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, 'bench-page@example.com', 'Bench', now())`,
    [userId],
  );
  const sessionToken = await insertSession(client, userId);
  await client.end();
  // Link through the app's own code path so the tokens are encrypted like a real sign-in's.
  Object.assign(process.env, stack.env);
  const { createLinkedAccount } = await import("../lib/connected-accounts");
  const { getDb } = await import("../lib/db");
  await createLinkedAccount(getDb(), {
    userId,
    type: "oidc",
    provider: "google",
    providerAccountId: "bench-page",
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    id_token: tokens.id_token,
    expires_in: tokens.expires_in,
    scope: tokens.scope,
  });
  await getDb().$disconnect();
  return `authjs.session-token=${sessionToken}`;
}

/** Milliseconds until the first byte of the response arrives (headers), body drained after. */
function ttfb(path: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(`${app.url}${path}`, { headers: { cookie, "user-agent": BROWSER_UA } }, (res) => {
      const elapsed = performance.now() - started;
      if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
      res.resume();
      res.on("end", () => resolve(elapsed));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Gzipped bytes of every script the page's HTML loads. */
async function firstLoadJs(path: string, cookie: string): Promise<number> {
  const html = await (await fetch(`${app.url}${path}`, { headers: { cookie } })).text();
  const sources = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!))];
  let total = 0;
  for (const source of sources) {
    const body = Buffer.from(await (await fetch(new URL(source, app.url))).arrayBuffer());
    total += gzipSync(body).length;
  }
  return total;
}

/**
 * In Chromium: from navigation start until the fourth Google panel shows its data, and for the
 * baseline until /settings/profile fires its load event. Visits alternate, in one browser.
 */
async function timeToLastPanel(cookie: string): Promise<{ page: number[]; baseline: number[] }> {
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  const context = await browser.newContext({ baseURL: app.url });
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url }]);
  const page = await context.newPage();
  const times = { page: [] as number[], baseline: [] as number[] };
  try {
    for (let visit = -2; visit < BROWSER_VISITS; visit += 1) {
      const started = performance.now();
      await page.goto(PAGE, { waitUntil: "commit" });
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid^="google-panel-"][data-state="ok"]').length === 4,
        undefined,
        { timeout: 30_000 },
      );
      const panels = performance.now() - started;
      const baselineStarted = performance.now();
      await page.goto(BASELINE, { waitUntil: "load" });
      const baseline = performance.now() - baselineStarted;
      if (visit >= 0) {
        times.page.push(panels);
        times.baseline.push(baseline);
      }
    }
  } finally {
    await browser.close();
  }
  return times;
}
