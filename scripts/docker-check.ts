// `npm run docker:check`: performs the Dockerfile's stages on this machine, without Docker, and
// checks the result, so the Dockerfile cannot drift from the code on machines with no Docker daemon.
// It reads the Dockerfile (WORKDIR, ENV, COPY, RUN, USER, CMD, HEALTHCHECK) and does what each line
// says, each stage in its own directory standing for the image's `/`: the build context is the
// project less .dockerignore; RUN runs with this machine's Node and npm (not the base image's);
// USER maps to that user when it exists here, else to `nobody` (as root; otherwise to yourself).
// Then the migrate stage's CMD migrates a fresh embedded PostgreSQL, the runtime stage's CMD starts
// the server on loopback, its HEALTHCHECK must pass, a browser signs in through the sandbox and
// opens the Disconnect dialog, which needs the page's CSS and scripts, and `npm run worker` in the
// migrate stage refreshes the accounts it linked. `--keep` keeps the directories.
import { execFileSync, spawn, spawnSync, type SpawnOptions } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ignore from "@balena/dockerignore";
import pg from "pg";
import { chromium, expect } from "@playwright/test";
import { chooseSandboxAccount } from "../sandbox/browser-login";
import playwrightConfig from "../playwright.config";
import { readDockerfile, type Stage } from "./lib/dockerfile";
import { freePort } from "./lib/free-port";
import { startTestStack } from "./lib/test-stack";

type User = { name: string; uid: number; gid: number; home: string };
type StageResult = {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: User;
  cmd?: string[];
  healthcheck?: string[];
};

/** Docker's predefined proxy build arguments, and Node's extra trusted certificates. */
const NETWORK_VARIABLES = [
  ...["HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"].flatMap((name) => [name, name.toLowerCase()]),
  "NODE_EXTRA_CA_CERTS",
];

const keep = process.argv.includes("--keep");
const started = Date.now();
const work = mkdtempSync(path.join(tmpdir(), "docker-check-"));
// The image's non-root user must be able to reach /app inside it.
chmodSync(work, 0o755);
// Several hundred MB: removed however the check ends, unless asked to keep them.
process.on("exit", () => (keep ? console.log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
const log = (line: string) => console.log(`[docker-check ${seconds()}] ${line}`);

const context = buildContext(path.join(work, "context"));
const results = new Map<string, StageResult>();
for (const stage of readDockerfile("Dockerfile")) {
  log(`stage ${stage.name}`);
  results.set(stage.name, performStage(stage));
}
const migrate = required(results.get("migrate"), "a stage named migrate");
const runtime = required([...results.values()].at(-1), "a stage");

const stack = await startTestStack("docker-check", {}, async (databaseUrl) => {
  log(`migrate: ${required(migrate.cmd, "a CMD in the migrate stage").join(" ")} as ${migrate.user?.name ?? "root"}`);
  await runAs(migrate, required(migrate.cmd, "CMD"), { DATABASE_URL: databaseUrl });
});
const port = await freePort();
const serverEnv = {
  ...stack.env,
  PORT: String(port),
  // Loopback rather than the image's 0.0.0.0: this is a shared machine.
  HOSTNAME: "127.0.0.1",
  AUTH_URL: `http://localhost:${port}`,
};
const command = required(runtime.cmd, "a CMD in the last stage");
log(`runtime: ${command.join(" ")} as ${runtime.user?.name ?? "root"}`);
const server = spawn(command[0]!, command.slice(1), spawnOptions(runtime, serverEnv, ["ignore", "inherit", "inherit"]));
try {
  await waitForHealthcheck(runtime, serverEnv);
  log("HEALTHCHECK passed");
  await checkInBrowser(serverEnv.AUTH_URL);
  log("browser check passed: styles and scripts load, the Disconnect dialog opens");
  await checkWorker();
  log(`worker check passed: \`npm run worker\` in the migrate stage refreshed the due accounts. Done in ${seconds()}.`);
} finally {
  server.kill("SIGTERM");
  await stack.stop();
}

/** The project's files less .dockerignore, as `docker build .` sends them. */
function buildContext(target: string): string {
  const ignored = ignore().add(readFileSync(".dockerignore", "utf8").split("\n"));
  const walk = (relative: string) => {
    for (const entry of readdirSync(relative || ".", { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (ignored.ignores(child)) continue;
      if (entry.isDirectory()) walk(child);
      else {
        mkdirSync(path.join(target, relative), { recursive: true });
        copyFileSync(child, path.join(target, child));
      }
    }
  };
  walk("");
  chmodSync(target, 0o755);
  return target;
}

function performStage(stage: Stage): StageResult {
  const root = path.join(work, stage.name);
  let result: StageResult = { root, workdir: "/", env: {} };
  if ("stage" in stage.base) {
    const base = required(results.get(stage.base.stage), `stage ${stage.base.stage} before ${stage.name}`);
    // Hard links: fast, and every COPY below replaces files rather than writing into them.
    execFileSync("cp", ["-al", base.root, root]);
    result = { ...base, root, env: { ...base.env } };
  } else {
    log(`  FROM ${stage.base.image}: this machine's Node ${process.version} and npm stand in for it`);
    mkdirSync(root, { mode: 0o755 });
  }
  const inStage = (imagePath: string) => path.join(root, path.posix.resolve(result.workdir, imagePath));
  for (const step of stage.steps) {
    if (step.kind === "workdir") {
      result.workdir = path.posix.resolve(result.workdir, step.path);
      mkdirSync(inStage("."), { recursive: true, mode: 0o755 });
    } else if (step.kind === "env") {
      Object.assign(result.env, step.values);
    } else if (step.kind === "user") {
      result.user = userNamed(step.name);
    } else if (step.kind === "cmd") {
      result.cmd = step.argv;
    } else if (step.kind === "healthcheck") {
      result.healthcheck = step.argv;
    } else if (step.kind === "copy") {
      const sourceRoot = step.fromStage
        ? required(results.get(step.fromStage), `stage ${step.fromStage}`).root
        : context;
      const destination = inStage(step.destination);
      const intoDirectory = step.destination.endsWith("/") || step.sources.length > 1;
      for (const source of step.sources) {
        const from = path.join(sourceRoot, step.fromStage ? path.posix.resolve("/", source) : source);
        if (!existsSync(from))
          throw new Error(
            `COPY ${source}: not in the ${step.fromStage ? `${step.fromStage} stage` : "build context (see .dockerignore)"}`,
          );
        const to = statSync(from).isDirectory()
          ? destination
          : intoDirectory
            ? path.join(destination, path.basename(from))
            : destination;
        mkdirSync(statSync(from).isDirectory() ? to : path.dirname(to), { recursive: true });
        // A directory's contents, as Docker copies them; each file replaced, never written into.
        execFileSync("cp", ["-a", "--remove-destination", statSync(from).isDirectory() ? `${from}/.` : from, to]);
        if (step.chown && process.getuid?.() === 0) {
          const owner = userNamed(step.chown.split(":")[0]!);
          execFileSync("chown", ["-R", `${owner.uid}:${owner.gid}`, to]);
        }
      }
    } else {
      log(`  RUN ${step.command}`);
      const run = spawnSync("sh", ["-c", step.command], spawnOptions(result, {}, "inherit"));
      if (run.status !== 0) throw new Error(`stage ${stage.name}: RUN ${step.command} failed (exit ${run.status})`);
    }
  }
  return result;
}

/** The Dockerfile's user on this machine: itself when it exists, else nobody; yourself when not root. */
function userNamed(name: string): User {
  if (process.getuid?.() !== 0) {
    return { name: "(yourself)", uid: process.getuid!(), gid: process.getgid!(), home: process.env.HOME ?? tmpdir() };
  }
  const existing = spawnSync("id", ["-u", name]).status === 0 ? name : "nobody";
  const home = path.join(work, `home-${existing}`);
  const uid = Number(execFileSync("id", ["-u", existing], { encoding: "utf8" }));
  const gid = Number(execFileSync("id", ["-g", existing], { encoding: "utf8" }));
  if (!existsSync(home)) {
    mkdirSync(home, { mode: 0o700 });
    execFileSync("chown", [`${uid}:${gid}`, home]);
  }
  return { name: existing === name ? name : `${existing} (for ${name})`, uid, gid, home };
}

function spawnOptions(
  stage: StageResult,
  extraEnv: Record<string, string>,
  stdio: SpawnOptions["stdio"],
): SpawnOptions {
  // Only what an image would have: no DATABASE_URL or secrets of this machine leak in. The
  // machine's way to the registry does: its proxy (Docker passes these to every build) and the
  // extra certificates it trusts. Without them, `npm ci` on the LTS from npm (which, unlike
  // Debian's Node, does not read the system's certificates) took 3 minutes here instead of 40 s.
  const network = Object.fromEntries(
    NETWORK_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: stage.user?.home ?? process.env.HOME,
    ...network,
    ...stage.env,
    ...extraEnv,
  };
  return {
    cwd: path.join(stage.root, stage.workdir),
    env: env as NodeJS.ProcessEnv,
    stdio,
    ...(stage.user && process.getuid?.() === 0 ? { uid: stage.user.uid, gid: stage.user.gid } : {}),
  };
}

function runAs(stage: StageResult, argv: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), spawnOptions(stage, env, ["ignore", "inherit", "inherit"]));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(" ")} exited with ${code}`))));
  });
}

async function waitForHealthcheck(stage: StageResult, env: Record<string, string>): Promise<void> {
  const healthcheck = required(stage.healthcheck, "a HEALTHCHECK in the last stage");
  const deadline = Date.now() + 60_000;
  while (server.exitCode === null) {
    if (
      spawnSync(healthcheck[0]!, healthcheck.slice(1), { ...spawnOptions(stage, env, "ignore"), timeout: 5_000 })
        .status === 0
    )
      return;
    if (Date.now() > deadline) throw new Error("the HEALTHCHECK did not pass within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server exited with ${server.exitCode} before its HEALTHCHECK passed`);
}

/** What the standalone output lost when its static files were missing: CSS, and the scripts that open dialogs. */
async function checkInBrowser(baseURL: string): Promise<void> {
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage({ baseURL });
    const failedAssets: string[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/_next/static/") && !response.ok())
        failedAssets.push(`${response.status()} ${response.url()}`);
    });
    await page.goto("/sign-in", { waitUntil: "load" });
    if (failedAssets.length > 0) throw new Error(`static files failed: ${failedAssets.join(", ")}`);
    await page.getByRole("button", { name: "Continue with Google" }).click();
    await chooseSandboxAccount(page, "docker-check@example.com");
    await page.goto("/settings/connected-accounts");
    const github = page.getByTestId("provider-card-github");
    await github.getByRole("button", { name: "Connect GitHub" }).click();
    await chooseSandboxAccount(page, "docker-check@example.com");
    await github.getByRole("button", { name: "Disconnect" }).click();
    await expect(page.getByRole("dialog", { name: "Disconnect GitHub?" })).toBeVisible();
    if ((await page.evaluate(() => document.styleSheets.length)) === 0) throw new Error("the page has no stylesheet");
  } finally {
    await browser.close();
  }
}

/**
 * `npm run worker` as deploying.md runs it, in the migrate stage: the accounts the browser check
 * linked are made due (in use, expiring within the margin), and its first sweep must refresh them.
 */
async function checkWorker(): Promise<void> {
  const database = new pg.Client({ connectionString: stack.database.url });
  await database.connect();
  const { rowCount } = await database.query(
    `UPDATE "Account" SET expires_at = extract(epoch FROM now())::int + 60, "lastUsedAt" = now()`,
  );
  await database.end();
  log(`worker: npm run worker as ${migrate.user?.name ?? "root"}, ${rowCount} accounts due`);
  const worker = spawn(
    "npm",
    ["run", "--silent", "worker"],
    spawnOptions(migrate, stack.env, ["ignore", "pipe", "pipe"]),
  );
  try {
    const output: string[] = [];
    const swept = new Promise<string>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output.push(String(chunk));
        const line = output.join("").match(/sweep\.done .*/)?.[0];
        if (line) resolve(line);
      };
      worker.stdout!.on("data", look);
      worker.stderr!.on("data", look);
      worker.on("exit", (code) => reject(new Error(`npm run worker exited with ${code}: ${output.join("")}`)));
      // Unref'd: once the sweep is seen, this timer must not keep the check alive for the rest of the minute.
      setTimeout(() => reject(new Error(`npm run worker swept nothing in 60 s: ${output.join("")}`)), 60_000).unref();
    });
    const line = await swept;
    log(`worker: ${line}`);
    if (!line.includes(`refreshed=${rowCount}`)) throw new Error(`expected ${rowCount} accounts refreshed: ${line}`);
  } finally {
    worker.kill("SIGTERM");
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Dockerfile: expected ${what}`);
  return value;
}
