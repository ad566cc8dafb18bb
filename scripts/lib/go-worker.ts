import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export type GoWorker<Result> = {
  process: ChildProcess;
  /** Resolves once the worker has warmed up (printed its first line) and waits for `go`. */
  ready: Promise<void>;
  go(): void;
  /** The JSON line the worker prints when done; rejects if it exits first. */
  result: Promise<Result>;
};

/**
 * A Node process running `script` (under tsx, with the app's conditions) that prints a line when
 * ready, waits for "go" on stdin, then prints one JSON line: its result. Benchmarks and fault
 * tests start several and release them at the same moment.
 */
export function startGoWorker<Result>(script: string, args: string[], env: NodeJS.ProcessEnv): GoWorker<Result> {
  const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], {
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: worker.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${script} (pid ${worker.pid}) exited early`);
    return line.value;
  };
  const ready = nextLine().then(() => undefined);
  const result = ready.then(async () => JSON.parse(await nextLine()) as Result);
  result.catch(() => {}); // a worker killed on purpose: only its awaiting caller should see the rejection
  return { process: worker, ready, go: () => worker.stdin!.write("go\n"), result };
}
