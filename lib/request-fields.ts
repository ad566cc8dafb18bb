import { z } from "zod";

/**
 * The fields of a form post or a query string by name, for a zod schema to validate. A repeated
 * name counts once, with its first value, as `get` reads it.
 */
export function fieldsByName<Value>(fields: {
  keys(): Iterable<string>;
  get(name: string): Value | null;
}): Record<string, Value> {
  return Object.fromEntries([...new Set(fields.keys())].map((name) => [name, fields.get(name)!]));
}

/** Text of at most `maxLength` characters holding JSON, parsed; anything else is refused as "not JSON". */
export function jsonText(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    });
}
