/**
 * What an operation that can fail for an expected reason returns instead of throwing:
 * `{ ok: true, …value }`, or `{ ok: false, error: { code, detail, …extra } }`. The `code` comes from
 * a closed set (lib/http/error-codes.ts (status) and lib/words (words) gives each one its words and HTTP status); the
 * `detail` is for logs and developers, never shown to users. Unexpected errors are still thrown.
 */
export type Failure<Code extends string, Extra extends object = object> = { code: Code; detail: string } & Extra;

export type Result<Value extends object, Code extends string, Extra extends object = object> =
  ({ ok: true } & Value) | { ok: false; error: Failure<Code, Extra> };

export function failure<Code extends string, Extra extends object = object>(
  code: Code,
  detail: string,
  extra?: Extra,
): { ok: false; error: Failure<Code, Extra> } {
  return { ok: false, error: { code, detail, ...extra } as Failure<Code, Extra> };
}

/**
 * A one-line account of anything thrown, for a failure's detail or a log line. Prisma's messages
 * open with "Invalid `prisma.x()` invocation:" and say what happened on their last line.
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? message;
}
