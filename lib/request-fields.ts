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
