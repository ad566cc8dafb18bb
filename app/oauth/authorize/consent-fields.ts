/** The consent form's boxes: `tool:<name>` and `account:<id>`, "on" when ticked. */
export const TOOL_FIELD = "tool:";
export const ACCOUNT_FIELD = "account:";

/** The names (tools) or ids (accounts) of the ticked boxes with `prefix`. */
export function ticked(fields: Record<string, unknown>, prefix: string): string[] {
  return Object.keys(fields)
    .filter((name) => name.startsWith(prefix) && fields[name] === "on")
    .map((name) => name.slice(prefix.length));
}
