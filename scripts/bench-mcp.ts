// `npm run bench:mcp`: what an agent's tool call costs over calling fetchAs directly, and the
// latency with 50 agents calling at once. In-process (the /mcp handler, without an HTTP server),
// on a real embedded PostgreSQL and the sandbox's Drive. Prints one JSON line per case.
import { createHash, randomBytes } from "node:crypto";
import { authorizeGoogle } from "../sandbox/test-client";
import { linkedUser } from "./lib/linked-account";
import { percentile, round, timeRuns } from "./lib/stats";
import { startTestStack } from "./lib/test-stack";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const CALLS_PER_AGENT = Number(process.env.BENCH_CALLS_PER_AGENT ?? 20);
const ORIGIN = "http://localhost:3000";
const DRIVE = "https://www.googleapis.com/auth/drive.metadata.readonly";
/** The goal from issue 27: a tool call costs at most 1.5× a direct fetchAs. */
const GOAL_RATIO = 1.5;

const { sandbox, env, stop } = await startTestStack("bench-mcp");
try {
  // The benchmark measures calls, not the per-agent limit.
  Object.assign(process.env, env, { RATE_LIMIT_AGENT_CALLS_PER_MINUTE: "1000000000" });
  // Imported after the environment is set: lib/env reads it on first use.
  const { getDb } = await import("../lib/db");
  const { fetchAs } = await import("../lib/connected-accounts");
  const { registerClient } = await import("../lib/agents/clients");
  const { approveAuthorization, checkAuthorizationRequest } = await import("../lib/agents/authorize");
  const { exchangeCode } = await import("../lib/agents/tokens");
  const { handleMcpRequest } = await import("../lib/agents/mcp-server");
  const db = getDb();

  /** A user with Drive granted, and an agent they authorized: its access token. */
  async function agentOfNewUser(index: number) {
    const tokens = await authorizeGoogle(sandbox.url, {
      email: `bench-${index}@example.com`,
      scope: `openid email ${DRIVE}`,
    });
    const { userId, providerAccountId } = await linkedUser(db, "google", tokens);
    const account = await db.account.findFirstOrThrow({ where: { providerAccountId } });
    const redirectUri = "http://127.0.0.1:9/callback";
    const registered = await registerClient({ client_name: `Bench agent ${index}`, redirect_uris: [redirectUri] });
    if (!registered.ok) throw new Error(registered.error.detail);
    const clientId = (registered.registration as { client_id: string }).client_id;
    const verifier = randomBytes(32).toString("base64url");
    const query = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    });
    const checked = await checkAuthorizationRequest(query, ORIGIN);
    if (!checked.ok) throw new Error(checked.error.detail);
    const choice = { tools: ["recent_drive_files"], accountIds: [account.id] };
    const code = new URL(await approveAuthorization(userId, checked.request, choice, ORIGIN)).searchParams.get("code")!;
    const exchanged = await exchangeCode({ code, clientId, redirectUri, codeVerifier: verifier, resource: undefined });
    if (!exchanged.ok) throw new Error(exchanged.error.detail);
    return { userId, accessToken: exchanged.tokens.access_token };
  }

  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "recent_drive_files", arguments: { count: 5 } },
  });
  /** One tools/call as an HTTP request to /mcp would carry it; fails loudly on anything but data. */
  async function toolCall(accessToken: string): Promise<void> {
    const response = await handleMcpRequest(
      new Request(`${ORIGIN}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${accessToken}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": String(body.length),
        },
        body,
      }),
      ORIGIN,
    );
    const answer = (await response.json()) as { result?: { isError?: boolean } };
    if (response.status !== 200 || !answer.result || answer.result.isError)
      throw new Error(`tool call failed: ${JSON.stringify(answer)}`);
  }

  const driveUrl = `${sandbox.url}/google-api/drive/v3/files?pageSize=5`;
  async function direct(userId: string): Promise<void> {
    const answer = await fetchAs(userId, { provider: "google", scopes: [DRIVE], feature: "Bench" }, driveUrl);
    if (!answer.ok) throw new Error(answer.error.detail);
    await answer.response.json();
  }

  // Baseline and case interleaved in rounds, so machine noise hits both alike.
  const one = await agentOfNewUser(0);
  const baseline: number[] = [];
  const calls: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    baseline.push(...(await timeRuns(RUNS / 10, () => direct(one.userId))));
    calls.push(...(await timeRuns(RUNS / 10, () => toolCall(one.accessToken))));
  }
  const ratio = percentile(calls, 50) / percentile(baseline, 50);
  console.log(
    JSON.stringify({
      case: "tool_call_vs_fetchAs",
      runs: calls.length,
      p50_ms: round(percentile(calls, 50)),
      p99_ms: round(percentile(calls, 99)),
      baseline_p50_ms: round(percentile(baseline, 50)),
      baseline_p99_ms: round(percentile(baseline, 99)),
      ratio: round(ratio, 2),
      goal: `≤ ${GOAL_RATIO}×`,
      met: ratio <= GOAL_RATIO,
    }),
  );

  // 50 agents of 50 users, all calling at once, each call after the last one answered.
  const agents = await Promise.all(Array.from({ length: AGENTS }, (_, index) => agentOfNewUser(index + 1)));
  await Promise.all(agents.map((agent) => toolCall(agent.accessToken))); // warm
  const started = performance.now();
  const latencies = (
    await Promise.all(agents.map((agent) => timeRuns(CALLS_PER_AGENT, () => toolCall(agent.accessToken), 0)))
  ).flat();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      case: "concurrent_agents",
      agents: AGENTS,
      calls: latencies.length,
      calls_per_s: round(latencies.length / seconds, 1),
      p50_ms: round(percentile(latencies, 50)),
      p99_ms: round(percentile(latencies, 99)),
    }),
  );
  await db.$disconnect();
} finally {
  await stop();
}
