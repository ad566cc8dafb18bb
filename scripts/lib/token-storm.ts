import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export type StormOutcome = { ok: true; token: string; ms: number } | { ok: false; code: string; ms: number };

/**
 * Runs a refresh storm: `processes` separate Node processes, each with `callersPerProcess`
 * concurrent getAccessToken calls for the same account, released at the same moment.
 */
export async function runTokenStorm(options: {
  env: Record<string, string>;
  userId: string;
  provider: "google" | "github";
  processes: number;
  callersPerProcess: number;
}): Promise<StormOutcome[]> {
  const workers = Array.from({ length: options.processes }, () =>
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "scripts/lib/token-storm-worker.ts",
        options.userId,
        options.provider,
        String(options.callersPerProcess),
      ],
      { env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "inherit"] },
    ),
  );
  const lines = workers.map((worker) => createInterface({ input: worker.stdout! })[Symbol.asyncIterator]());
  const nextLine = async (index: number) => {
    const line = await lines[index]!.next();
    if (line.done) throw new Error(`storm worker ${index} exited early`);
    return line.value;
  };

  await Promise.all(workers.map((_, index) => nextLine(index))); // every worker is "ready"
  for (const worker of workers) worker.stdin!.write("go\n");
  const results = await Promise.all(workers.map(async (_, index) => JSON.parse(await nextLine(index)) as StormOutcome[]));
  return results.flat();
}
