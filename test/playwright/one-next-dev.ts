import { createHash } from "node:crypto";
import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// `next dev` refuses to start while another one serves the same project (its lock in .next/dev).
// .ci/run runs the two browser-test projects side by side, each with its own `next dev` spec: the
// second waits here for the first to finish instead of failing.

const lockFile = path.join(
  tmpdir(),
  `next-dev-spec-${createHash("sha256").update(process.cwd()).digest("hex").slice(0, 12)}.lock`,
);

function holderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(lockFile, "utf8")), 0);
    return true;
  } catch {
    return false; // no lock, or its process is gone (a run that was killed)
  }
}

/** Waits until no other test process runs `next dev` for this project, then holds the turn; returns its release. */
export async function nextDevTurn(timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!holderAlive()) rmSync(lockFile, { force: true });
    else if (Date.now() > deadline) throw new Error(`another test process kept \`next dev\` for ${timeoutMs} ms`);
    else await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
