import type { Readable } from "node:stream";
import { createInterface } from "node:readline";

const colors = { db: 35, sandbox: 36, next: 32, worker: 34, dev: 33 } as const;

export type LogSource = keyof typeof colors;

/** One labelled line, e.g. "[sandbox] ready", colored when the terminal supports it. */
export function logLine(
  source: LogSource,
  line: string,
  write: (text: string) => unknown = (text) => process.stdout.write(text),
): void {
  const label = `[${source}]`.padEnd(10);
  const colored = process.stdout.isTTY ? `\x1b[${colors[source]}m${label}\x1b[0m` : label;
  write(`${colored}${line}\n`);
}

// Terminal control sequences other than colours (CSI … m): a child writes "show the cursor" and a
// newline as it exits (next dev does), which would leave a labelled line with nothing on it.
const CONTROL = /\x1b\[[0-9;?]*[A-Za-ln-z]|\r/g;

/** Each line of `stream` under the label of `source`; lines with nothing to read are left out. */
export function pipePrefixed(stream: Readable | null, source: LogSource, write?: (text: string) => unknown): void {
  if (!stream) return;
  createInterface({ input: stream }).on("line", (line) => {
    const text = line.replace(CONTROL, "");
    if (text.replace(/\x1b\[[0-9;]*m/g, "").trim() !== "") logLine(source, text, write);
  });
}
