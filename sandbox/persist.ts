import { mkdirSync, readFileSync, renameSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { GithubSnapshot } from "./github";
import type { GoogleSnapshot } from "./google-idp";

/**
 * What a sandbox keeps between runs when given a state file (`npm run dev`: `.data/sandbox/state.json`):
 * the issuer's signing key, Google's grants, tokens and users, GitHub's tokens. Control settings
 * (refresh modes, clock, limits) and counters start afresh.
 */
export type SandboxSnapshot = {
  version: 1;
  signingKey: Record<string, unknown>;
  google: GoogleSnapshot;
  github: GithubSnapshot;
};

/**
 * The saved state at `path`, or undefined when there is none. A file that cannot be read as a
 * sandbox state is moved aside (`<path>.unreadable`) and the sandbox starts empty, saying so.
 */
export function readSnapshot(path: string, log: (line: string) => void): SandboxSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SandboxSnapshot>;
    if (parsed.version !== 1 || !parsed.signingKey || !parsed.google || !parsed.github) throw new Error("not a state");
    return parsed as SandboxSnapshot;
  } catch {
    renameSync(path, `${path}.unreadable`);
    log(`sandbox state ${path} was unreadable: moved to ${path}.unreadable, starting with no grants`);
    return undefined;
  }
}

/**
 * Writes `take()` to `path` at most once per `delayMs` after a change (`schedule`), atomically: a
 * temporary file beside it, then a rename, so a crash leaves the old state or the new, never half.
 * The file holds live tokens: readable by its owner only.
 */
export function stateWriter(path: string, take: () => SandboxSnapshot, log: (line: string) => void, delayMs = 200) {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const temporary = `${path}.${process.pid}.tmp`;
  mkdirSync(dirname(path), { recursive: true });

  function write(): Promise<void> {
    timer = undefined;
    const text = JSON.stringify(take());
    writing = writing
      .then(async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(temporary, text, { mode: 0o600 });
        await rename(temporary, path);
      })
      .catch((error: unknown) => log(`sandbox state not saved to ${path}: ${String(error)}`));
    return writing;
  }

  return {
    schedule(): void {
      timer ??= setTimeout(() => void write(), delayMs);
    },
    /** Writes now if a write is pending, and waits for every write to finish. */
    async flush(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        await write();
      }
      await writing;
    },
  };
}
