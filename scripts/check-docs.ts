// `npm run lint` runs this: every ```ts block in README.md and docs/ is type-checked against the
// code, so the docs cannot drift from it. A block says where it would live, and is checked there:
//   <!-- check-as: lib/example.ts -->        (a path that does not exist yet)
// or why it cannot be checked on its own:
//   <!-- check: skip, <reason> -->
// A block with neither fails the check.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const markdownFiles = [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

type Block = { source: string; line: number; checkAs?: string; code: string };

function blocksOf(file: string): Block[] {
  const lines = readFileSync(path.join(root, file), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]!.trim() !== "```ts") continue;
    const end = lines.findIndex((line, at) => at > index && line.trim() === "```");
    if (end === -1) throw new Error(`${file}:${index + 1}: a ts block that never ends`);
    const marker = lines[index - 1]?.trim() ?? "";
    const checkAs = /^<!-- check-as: (\S+) -->$/.exec(marker)?.[1];
    if (!checkAs && !/^<!-- check: skip, .+ -->$/.test(marker)) {
      throw new Error(
        `${file}:${index + 1}: a ts block needs <!-- check-as: <path> --> or <!-- check: skip, <reason> --> on the line above`,
      );
    }
    blocks.push({ source: file, line: index + 1, checkAs, code: lines.slice(index + 1, end).join("\n") });
    index = end;
  }
  return blocks;
}

const checked = markdownFiles.flatMap(blocksOf).filter((block) => block.checkAs);
// Files and folders this check made, removed afterwards (a block may live in a new folder, as a
// new provider's does).
const written: string[] = [];
try {
  for (const block of checked) {
    const target = path.join(root, block.checkAs!);
    if (existsSync(target))
      throw new Error(`${block.source}:${block.line}: check-as ${block.checkAs} exists; name a path that does not`);
    const folder = path.dirname(target);
    if (!existsSync(folder)) written.push(mkdirSync(folder, { recursive: true })!);
    writeFileSync(target, `${block.code}\n`);
    written.push(target);
  }
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  } catch (error) {
    const output = String((error as { stdout?: string }).stdout ?? error);
    for (const block of checked) {
      output
        .split("\n")
        .filter((line) => line.startsWith(block.checkAs!))
        .forEach((line) => console.error(`${block.source}:${block.line} (as ${line})`));
    }
    console.error(output);
    process.exitCode = 1;
  }
} finally {
  for (const file of written.reverse()) rmSync(file, { force: true, recursive: true });
}
if (!process.exitCode) console.log(`docs: ${checked.length} ts blocks type-check`);
