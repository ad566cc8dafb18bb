import type { Readable } from "node:stream";
import { createInterface } from "node:readline";

const colors = { db: 35, sandbox: 36, next: 32, worker: 34, dev: 33 } as const;

export type LogSource = keyof typeof colors;

/** One labelled line, e.g. "[sandbox] ready", colored when the terminal supports it. */
export function logLine(source: LogSource, line: string): void {
  const label = `[${source}]`.padEnd(10);
  const colored = process.stdout.isTTY ? `\x1b[${colors[source]}m${label}\x1b[0m` : label;
  process.stdout.write(`${colored}${line}\n`);
}

export function pipePrefixed(stream: Readable | null, source: LogSource): void {
  if (!stream) return;
  createInterface({ input: stream }).on("line", (line) => logLine(source, line));
}
