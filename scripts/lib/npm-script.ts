import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Each npm runs in a process group of its own, so that killNpmScripts() ends whatever it started,
// even after a test that failed before it knew the pids.
const groups: number[] = [];

/** Kills every npm started by runNpmScript, with all it started (a test's afterEach). */
export function killNpmScripts(): void {
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // all gone
    }
  }
}

/** `npm run <script> -- <args>` in the project, with its stdout and stderr gathered in `output()`. */
export function runNpmScript(script: string, args: string[] = []): { npm: ChildProcess; output: () => string } {
  const npm = spawn("npm", ["run", script, ...(args.length ? ["--", ...args] : [])], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  groups.push(npm.pid!);
  let output = "";
  npm.stdout!.on("data", (chunk) => (output += chunk));
  npm.stderr!.on("data", (chunk) => (output += chunk));
  return { npm, output: () => output };
}
