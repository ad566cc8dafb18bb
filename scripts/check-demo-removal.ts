// `npm run check:demo-removal`: proves the steps of docs/providers.md, "Removing the Google demo"
// and "Removing the Microsoft 365 demo". In a copy of the tracked tree (a temporary directory,
// node_modules linked), it deletes both demos and their mounts exactly as those steps say, then runs the typecheck, the lint and the unit tests
// there (not Playwright). Exits 0 when all pass; otherwise one line saying what failed.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** What the docs' steps delete: each demo's two folders, its mount, and the page's lines naming the mount. */
const DEMOS = [
  {
    folders: ["lib/google", "components/google"],
    mount: "app/settings/connected-accounts/google-demo.tsx",
    name: "GoogleDemo",
  },
  {
    folders: ["lib/microsoft", "components/microsoft"],
    mount: "app/settings/connected-accounts/microsoft-demo.tsx",
    name: "MicrosoftDemo",
  },
];
/** The page that renders the mounts: its lines naming a mount go with it. */
const MOUNTING_PAGE = "app/settings/connected-accounts/page.tsx";

const CHECKS: { name: string; command: string[] }[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit", "-p", "."] },
  { name: "lint", command: ["npm", "run", "--silent", "lint"] },
  { name: "unit tests", command: ["npx", "vitest", "run"] },
];

function fail(reason: string): never {
  console.error(`check:demo-removal: ${reason}`);
  process.exit(1);
}

/** The files git tracks, plus new ones it does not ignore, as they are on disk now. */
function copyOfTree(): string {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  });
  if (listed.status !== 0) fail(`git ls-files failed: ${listed.stderr.trim()}`);
  const copy = mkdtempSync(path.join(tmpdir(), "demo-removal-"));
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const from = path.join(root, file);
    if (existsSync(from)) cpSync(from, path.join(copy, file), { recursive: true });
  }
  symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

function removeDemos(copy: string): void {
  const page = path.join(copy, MOUNTING_PAGE);
  for (const demo of DEMOS) {
    for (const folder of demo.folders) rmSync(path.join(copy, folder), { recursive: true, force: true });
    rmSync(path.join(copy, demo.mount), { force: true });
    const lines = readFileSync(page, "utf8").split("\n");
    const kept = lines.filter((line) => !line.includes(demo.name));
    if (lines.length - kept.length !== 2) fail(`${MOUNTING_PAGE} should name ${demo.name} on exactly two lines`);
    writeFileSync(page, kept.join("\n"));
  }
}

function main(): void {
  const started = performance.now();
  const copy = copyOfTree();
  try {
    removeDemos(copy);
    for (const check of CHECKS) {
      const checkStarted = performance.now();
      const [command, ...args] = check.command;
      const run = spawnSync(command!, args, { cwd: copy, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
      const seconds = ((performance.now() - checkStarted) / 1000).toFixed(1);
      if (run.status !== 0) {
        process.stderr.write(run.stdout.slice(-4000) + run.stderr.slice(-4000));
        fail(`${check.name} fails without the demos (${check.command.join(" ")}, exit ${run.status})`);
      }
      console.log(`${check.name}: passed in ${seconds} s`);
    }
    console.log(`check:demo-removal: passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

main();
