// `npm run dev`: embedded PostgreSQL (unless DATABASE_URL is set) + migrations + the sandbox
// identity provider (for providers without real credentials) + `next dev`, started and stopped together.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import nextEnv from "@next/env";
import { parseEnv } from "../lib/env";
import { findProvider, providerRegistry, type RegisteredProvider } from "../lib/providers/registry";
import { describeError } from "../lib/result";
import { parseKeyring } from "../lib/token-keyring";
import { SANDBOX_USERS, startSandbox } from "../sandbox";
import { riscControl } from "../sandbox/risc-client";
import { AnticipatedFault, endingOnAnticipatedFaults } from "./lib/anticipated-fault";
import { ensureLocalSecrets } from "./lib/local-secrets";
import { openDevDatabase } from "./lib/dev-database";
import { applyMigrations } from "./lib/migrate";
import { accountsWithUnreadableGrants } from "../lib/connected-accounts";
import { logLine, pipePrefixed } from "./lib/prefixed-output";

// A second `npm run dev`, a clone root cannot share with the postgres user, a DATABASE_URL that
// refuses us: one line each.
endingOnAnticipatedFaults((line) => logLine("dev", line));

const cwd = process.cwd();
nextEnv.loadEnvConfig(cwd, true, { info: () => {}, error: console.error });

for (const name of await ensureLocalSecrets(".env.local")) {
  logLine("dev", `wrote a new ${name} to .env.local`);
}

const database = await openDevDatabase((line) => logLine("db", line));
logLine("db", `using ${database.description}`);
await applyMigrations(database.url);
logLine("db", "migrations applied");
await warnOfUnreadableGrants(database.url);

const hasCredentials = ({ credentialsEnv: { id, secret } }: RegisteredProvider) =>
  Boolean(process.env[id] && process.env[secret]);
// Every provider without real credentials is played by the sandbox.
const needsSandbox = providerRegistry.some((provider) => !hasCredentials(provider));
const sandboxGoogle = !hasCredentials(findProvider(providerRegistry, "google")!);
// The sandbox keeps its grants in .data/sandbox/state.json, so tokens stored by the app still work
// after a restart of `npm run dev`.
const sandboxStatePath = join(cwd, ".data", "sandbox", "state.json");
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 0);
const sandbox = needsSandbox
  ? await startSandbox({
      port: sandboxPort,
      statePath: sandboxStatePath,
      log: (line) => logLine("sandbox", line),
    }).catch(async (error: NodeJS.ErrnoException) => {
      await database.stop();
      throw error.code === "EADDRINUSE"
        ? new AnticipatedFault(
            `SANDBOX_PORT ${sandboxPort} is in use (another \`npm run dev\`?): stop it, or set another port`,
          )
        : error;
    })
  : undefined;
if (sandbox) {
  logLine(
    "sandbox",
    `simulated Google, GitHub, Google APIs and an OpenID Connect issuer at ${sandbox.url}; no real credentials are set`,
  );
  const users = SANDBOX_USERS.map((user) => `${user.name} <${user.email}>, ${user.role}`).join("; ");
  logLine("sandbox", `test users: ${users}; or type any email on its login page`);
  if (sandboxGoogle) {
    // The sandbox Google pushes security events here, as Google's Cross-Account Protection would.
    const receiver = `${devAppUrl(process.argv.slice(2))}/api/risc`;
    try {
      await riscControl(sandbox.url).register(receiver);
      logLine("sandbox", `"Manage third-party access": ${sandbox.url}/google/permissions (notifies ${receiver})`);
    } catch (error) {
      logLine("sandbox", `security events will not reach the app: ${(error as Error).message}`);
    }
  }
  logLine("sandbox", `grants kept in ${relative(cwd, sandboxStatePath)} (delete it to start afresh)`);
}
if (Number(process.versions.node.split(".")[0]) < 22) {
  // oidc-provider (the sandbox) prints "Unsupported runtime" on Node 20; the warning is true.
  logLine(
    "dev",
    `Node ${process.version} is past its end of life (2026-04-30): everything here still runs on it, but use Node 24 LTS`,
  );
}

const appEnv = {
  ...process.env,
  DATABASE_URL: database.url,
  ...(sandbox ? { SANDBOX_URL: sandbox.url } : {}),
  // The address next dev serves: passkeys take their origin and RP ID from it (lib/passkeys).
  AUTH_URL: process.env.AUTH_URL ?? devAppUrl(process.argv.slice(2)),
  // No telemetry notice on a newcomer's first start; `NEXT_TELEMETRY_DISABLED=0 npm run dev` to send it.
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
  ...(process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}),
};
// A variable the app refuses (a WEBHOOK_URL that is not https:, say) stops everything here with one
// line, rather than one from Next, another from the worker and a note that the worker stopped.
try {
  parseEnv(appEnv);
} catch (error) {
  logLine("dev", describeError(error));
  await sandbox?.close();
  await database.stop();
  process.exit(1);
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const next = spawn(process.execPath, [nextBin, "dev", ...process.argv.slice(2)], {
  env: appEnv,
  stdio: ["inherit", "pipe", "pipe"],
});
pipePrefixed(next.stdout, "next");
pipePrefixed(next.stderr, "next");

// The background sweep, as `npm run worker` runs it in production.
const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
  env: appEnv,
  stdio: ["ignore", "pipe", "pipe"],
});
pipePrefixed(worker.stdout, "worker");
pipePrefixed(worker.stderr, "worker");
worker.on("exit", (code, signal) => {
  if (!stopping)
    logLine("worker", `stopped (${signal ?? `exit code ${code}`}): tokens are now refreshed only on demand`);
});

let stopping: Promise<void> | undefined;
function stop(exitCode: number): void {
  stopping ??= (async () => {
    logLine("dev", "stopping…");
    if (next.exitCode === null) next.kill("SIGTERM");
    if (worker.exitCode === null) worker.kill("SIGTERM");
    // The worker finishes the refresh under way before the database goes (a few seconds at most).
    await exited(worker, 8_000);
    await sandbox?.close();
    await database.stop();
    process.exit(exitCode);
  })();
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("SIGHUP", () => stop(0));
next.on("exit", (code) => stop(code ?? 0));

// npm forwards a signal sent to its PID alone (an IDE's stop button, a process manager) to its
// child, which is this process because the script starts with `exec`. Should npm die without
// forwarding (SIGKILL), this process gets a new parent: stop then too.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart) stop(0);
}, 500).unref();

/**
 * One line when stored tokens exist that no key of TOKEN_ENCRYPTION_KEY opens: a deleted .env.local
 * makes a new key, and the accounts then need reconnecting for a reason no card could guess.
 */
async function warnOfUnreadableGrants(databaseUrl: string): Promise<void> {
  let keyring;
  try {
    keyring = parseKeyring(process.env.TOKEN_ENCRYPTION_KEY ?? "");
  } catch {
    return; // an invalid key is reported below, with the rest of the environment
  }
  const unreadable = await accountsWithUnreadableGrants(databaseUrl, keyring).catch(() => []);
  if (unreadable.length === 0) return;
  const accounts =
    unreadable.length === 1 ? "1 connected account holds" : `${unreadable.length} connected accounts hold`;
  logLine(
    "dev",
    `${accounts} tokens encrypted with a key TOKEN_ENCRYPTION_KEY does not list (was .env.local deleted or the key replaced?): add the old key back to TOKEN_ENCRYPTION_KEY after the current one, or reconnect those accounts`,
  );
}

/** Where `next dev` listens: its -H/--hostname and -p/--port arguments (or PORT), else localhost:3000. */
function devAppUrl(args: string[]): string {
  const option = (short: string, long: string) => {
    const flag = args.findIndex((arg) => arg === short || arg === long);
    return (
      (flag >= 0 ? args[flag + 1] : undefined) ?? args.find((arg) => arg.startsWith(`${long}=`))?.slice(long.length + 1)
    );
  };
  const listen = option("-H", "--hostname");
  // Listening on every interface: reach it on loopback.
  const host = !listen || listen === "0.0.0.0" || listen === "::" ? "localhost" : listen;
  const port = option("-p", "--port") ?? process.env.PORT ?? "3000";
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
