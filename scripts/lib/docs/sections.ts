// The generated sections of the docs, each built from the code as it is on disk now.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AGENT_TOOLS } from "../../../lib/agents";
import { documentedVariables } from "../../../lib/env";
import { LOG_EVENTS } from "../../../lib/log-events";
import { findProvider, providerRegistry } from "../../../lib/providers";
import { FOLDER_PURPOSES } from "./folder-purposes";

export const root = path.resolve(import.meta.dirname, "../../..");

export class SectionError extends Error {}

function logEvents(): string {
  return [
    "| event | what happened |",
    "| --- | --- |",
    ...Object.entries(LOG_EVENTS).map(([event, meaning]) => `| \`${event}\` | ${meaning} |`),
  ].join("\n");
}

/** The MCP tools (lib/agents/tools.ts): their providers as the registry names them, and the scopes' last path segments. */
function agentTools(): string {
  const label = (id: string) => findProvider(providerRegistry, id)?.label ?? id;
  const scope = (value: string) => `\`${value.split("/").at(-1)}\``;
  return [
    "| tool | providers, the one offered first | scopes it needs | what it reads |",
    "| --- | --- | --- | --- |",
    ...AGENT_TOOLS.map(
      (tool) =>
        `| \`${tool.name}\` | ${tool.providers.map(label).join(", ") || "none"} | ${tool.scopes.map(scope).join(", ") || "none"} | ${tool.description} |`,
    ),
  ].join("\n");
}

function environment(): string {
  return [
    "| variable | needed | default | what |",
    "| --- | --- | --- | --- |",
    ...documentedVariables().map(
      ({ name, needed, what, defaultValue }) =>
        `| \`${name}\` | ${needed} | ${defaultValue === undefined ? "" : `\`${defaultValue}\``} | ${what} |`,
    ),
  ].join("\n");
}

// A regular expression, not the TypeScript parser: loading TypeScript alone takes longer than the
// whole check may. Entry points are lists of re-exports and a few declarations, which this reads.
const EXPORT_LIST = /export\s+(type\s+)?\{([^}]*)\}/g;
const EXPORT_DECLARATION =
  /export\s+(?:declare\s+)?(?:async\s+)?(const|let|var|function\*?|class|abstract class|enum|type|interface)\s+([\w$]+)/g;
const EXPORT_ALL = /export\s+\*\s+from\s+["']([^"']+)["']/g;

/** The names a module exports, values and types apart; `export *` is followed into its file. */
function exportedNames(file: string): { values: string[]; types: string[] } {
  const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  const values: string[] = [];
  const types: string[] = [];
  for (const [, typeOnly, list] of code.matchAll(EXPORT_LIST)) {
    for (const element of list!
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const isType = Boolean(typeOnly) || element.startsWith("type ");
      const name = element
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .at(-1)!;
      (isType ? types : values).push(name);
    }
  }
  for (const [, kind, name] of code.matchAll(EXPORT_DECLARATION)) {
    (kind === "type" || kind === "interface" ? types : values).push(name!);
  }
  for (const [, specifier] of code.matchAll(EXPORT_ALL)) {
    const target = path.resolve(path.dirname(file), specifier!);
    const inner = exportedNames(existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, "index.ts"));
    values.push(...inner.values);
    types.push(...inner.types);
  }
  return { values, types };
}

/** The comment lines at the top of a file, before its first statement, as one sentence. */
function headerComment(file: string): string {
  const header = /^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))+/.exec(readFileSync(file, "utf8"))?.[0] ?? "";
  return header
    .replace(/^\s*(\/\/|\/\*\*?|\*\/|\*)/gm, "")
    .replace(/\*\/\s*$/, "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}

function entryPoints(): string {
  const folders = readdirSync(path.join(root, "lib"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, "lib", entry.name, "index.ts")))
    .map((entry) => entry.name)
    .sort();
  return folders
    .map((folder) => {
      const file = path.join(root, "lib", folder, "index.ts");
      const header = headerComment(file);
      if (!header) throw new SectionError(`lib/${folder}/index.ts has no header comment: say what the folder offers`);
      const { values, types } = exportedNames(file);
      const names = (list: string[]) =>
        [...list]
          .sort()
          .map((name) => `\`${name}\``)
          .join(", ");
      return [
        `- **\`@/lib/${folder}\`**: ${header}`,
        values.length > 0 ? `  - ${names(values)}` : undefined,
        types.length > 0 ? `  - types: ${names(types)}` : undefined,
      ]
        .filter((line) => line !== undefined)
        .join("\n");
    })
    .join("\n");
}

// How deep the tree goes under each top-level folder (the others show only themselves).
const TREE_DEPTH: Record<string, number> = { app: 3, components: 2, lib: 2, test: 2 };

function projectTree(): string {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file && existsSync(path.join(root, file)));
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split("/").slice(0, -1);
    const depth = Math.min(parts.length, TREE_DEPTH[parts[0]!] ?? 1);
    for (let length = 1; length <= depth; length += 1) folders.add(`${parts.slice(0, length).join("/")}/`);
  }
  const sorted = [...folders].sort();
  const missing = sorted.filter((folder) => !(folder in FOLDER_PURPOSES));
  const stale = Object.keys(FOLDER_PURPOSES).filter((folder) => !folders.has(folder));
  if (missing.length > 0 || stale.length > 0) {
    throw new SectionError(
      [
        missing.length > 0 ? `folders without a purpose: ${missing.join(", ")}` : "",
        stale.length > 0 ? `purposes of folders that are gone: ${stale.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ") + " (edit scripts/lib/docs/folder-purposes.ts)",
    );
  }
  const width = Math.max(...sorted.map((folder) => nameInTree(folder).length)) + 2;
  return [
    "```",
    ...sorted.map((folder) => `${nameInTree(folder).padEnd(width)}${FOLDER_PURPOSES[folder]}`),
    "```",
  ].join("\n");
}

/** `lib/auth/` shows as `  auth/`: indented by its depth. */
function nameInTree(folder: string): string {
  const parts = folder.split("/").filter(Boolean);
  return `${"  ".repeat(parts.length - 1)}${parts.at(-1)}/`;
}

export const SECTIONS: Record<string, () => string> = {
  "log-events": logEvents,
  environment,
  "entry-points": entryPoints,
  "project-tree": projectTree,
  "agent-tools": agentTools,
};
