import "../known-warnings";
import { afterEach, beforeEach, onTestFailed } from "vitest";
import { sendLogsTo, type LogLevel } from "../../lib/log";

// Every test file runs with this (vitest.config.ts setupFiles). A passing test prints nothing
// alarming: the app's log records (lib/log.ts) of each test are kept, not printed, and shown
// only when the test fails. A test that expects a record asserts on it with loggedRecords().

export type LoggedRecord = { level: LogLevel; text: string };

let records: LoggedRecord[] = [];

beforeEach(() => {
  records = [];
  sendLogsTo((level, text) => records.push({ level, text }));
  onTestFailed(() => {
    for (const { text } of records) process.stderr.write(`[captured log] ${text}\n`);
  });
});

afterEach(() => sendLogsTo(undefined));

/** The records the current test has logged so far, oldest first. */
export function loggedRecords(): readonly LoggedRecord[] {
  return records;
}

/** The lines of the current test's records: `level event key=value …` (a cause follows on lines of its own). */
export function loggedLines(): string[] {
  return records.map(({ text }) => text.split("\n")[0]!);
}
