import { inspect } from "node:util";
import type { LogEvent } from "./log-events";

/**
 * What a log record may carry. Only names, codes and our own words: never a token, a secret or a
 * provider's response body (one can hold a token), so a log can be shared to debug a failure.
 */
export type LogFields = {
  provider?: string;
  accountId?: string;
  userId?: string;
  code?: string;
  reason?: string;
  /** Only for unexpected failures: kept whole (stack, cause chain), where expected ones are one line. */
  cause?: unknown;
  /** Tallies of a batch of work, e.g. a sweep's refreshed and failed accounts. */
  counts?: Record<string, number>;
};

export type LogLevel = "info" | "warn" | "error";

/** Where records go: one record's text (a line, or a line and its cause) at its level. */
export type LogSink = (level: LogLevel, text: string) => void;

// Straight to the process's streams, not through console: in development React replays the console
// calls of a server render in the browser's console, and server records are not the browser's.
const processStreams: LogSink = (level, text) => {
  (level === "info" ? process.stdout : process.stderr).write(`${text}\n`);
};
let sink: LogSink = processStreams;

/** Sends records to `capture` instead (tests: test/vitest/capture-logs.ts); undefined restores the streams. */
export function sendLogsTo(capture: LogSink | undefined): void {
  sink = capture ?? processStreams;
}

// Next.js inlines NODE_ENV at build time; reading it here (not through lib/env.ts) keeps the logger
// working while the environment is invalid, which is when it is needed most.
const jsonLines = process.env.NODE_ENV === "production";

/**
 * One record per event: a JSON line in production, for log collectors; `level event key=value …`
 * elsewhere, for people. `event` names what happened, e.g. "token.refresh_failed": one of lib/log-events.ts.
 */
function write(level: LogLevel, event: LogEvent, fields: LogFields): void {
  const { cause, ...named } = fields;
  if (jsonLines) {
    sink(
      level,
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        event,
        ...named,
        ...(cause === undefined ? {} : { cause: errorFields(cause) }),
      }),
    );
    return;
  }
  const { counts, ...words } = named;
  const pairs = Object.entries({ ...words, ...counts })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${/^[\w.:/@-]+$/.test(String(value)) ? value : JSON.stringify(value)}`);
  const line = [level, event, ...pairs].join(" ");
  sink(level, cause === undefined ? line : `${line}\n${inspect(cause)}`);
}

function errorFields(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return String(error);
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: errorFields(error.cause, depth + 1) }),
  };
}

export const log = {
  info: (event: LogEvent, fields: LogFields = {}) => write("info", event, fields),
  warn: (event: LogEvent, fields: LogFields = {}) => write("warn", event, fields),
  error: (event: LogEvent, fields: LogFields = {}) => write("error", event, fields),
};
