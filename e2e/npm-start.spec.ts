import { spawn } from "node:child_process";
import { freePort } from "../scripts/lib/free-port";
import { commandOf, descendants, isAlive } from "../scripts/lib/process-tree";
import { expect, runsOwnServerSpecs, test } from "../test/playwright/fixtures";

// `npm start` as an operator runs it, on the build the global setup made; no browser needed.
test.beforeEach(({}, testInfo) => test.skip(!runsOwnServerSpecs(testInfo.project.name), "starts its own server"));

// Each npm in a process group of its own, killed afterwards: a server npm left behind stays in it.
const groups: number[] = [];
test.afterEach(() => {
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // all gone
    }
  }
});

function npmStart(env: Record<string, string>, port: number) {
  // No NODE_ENV: `next start` sets it (spawn leaves out undefined values).
  const childEnv = { ...process.env, ...env, AUTH_URL: `http://localhost:${port}`, NODE_ENV: undefined };
  const npm = spawn("npm", ["start", "--", "-H", "127.0.0.1", "-p", String(port)], {
    env: childEnv as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  groups.push(npm.pid!);
  let output = "";
  npm.stdout.on("data", (chunk) => (output += chunk));
  npm.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
  return { npm, exited, output: () => output };
}

const answers = (url: string) =>
  fetch(url, { redirect: "manual", signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );

test("npm start stops on one SIGTERM to npm's PID, as docker stop or a pidfile sends it", async () => {
  test.setTimeout(90_000);
  const port = await freePort();
  const start = npmStart(JSON.parse(process.env.E2E_APP_ENV!) as Record<string, string>, port);
  await expect.poll(() => answers(`http://127.0.0.1:${port}/sign-in`), { timeout: 60_000 }).toBe(true);
  const tree = descendants(start.npm.pid!);
  expect(tree.map(commandOf).some((command) => command.startsWith("next-server"))).toBe(true);

  process.kill(start.npm.pid!, "SIGTERM");
  await expect.poll(() => tree.filter(isAlive).map(commandOf), { timeout: 10_000 }).toEqual([]);
  expect(await answers(`http://127.0.0.1:${port}/sign-in`)).toBe(false);
});

test("npm start with no sign-in provider says so in one sentence, and never says Ready", async () => {
  const port = await freePort();
  const env = JSON.parse(process.env.E2E_APP_ENV!) as Record<string, string>;
  const start = npmStart({ ...env, SANDBOX_URL: "", UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: "" }, port);
  expect(await start.exited).toBe(1);
  // npm's own lines ("> … start", the command) come first; ours is the last.
  const lines = start
    .output()
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith(">") && !line.startsWith("npm "));
  // One sentence naming every sign-in provider's variables (the registry's, lib/env.test.ts lists them).
  expect(lines).toEqual([
    expect.stringMatching(
      /^Invalid environment: no sign-in provider is configured: set AUTH_GOOGLE_ID\/AUTH_GOOGLE_SECRET or AUTH_GITHUB_ID\/AUTH_GITHUB_SECRET or .+, or use `npm run dev`, which starts the sandbox\. See \.env\.example\.$/,
    ),
  ]);
  expect(start.output()).not.toContain("Ready");
});
