// `npm run docs:generate` rewrites the generated sections of README.md and docs/*.md from the code
// (scripts/lib/docs/sections.ts); `--check`, which `npm run lint` runs, writes nothing and fails
// with one line per section that is not current.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { regenerate } from "./lib/docs/regenerate";
import { root, SectionError, SECTIONS } from "./lib/docs/sections";

const check = process.argv.includes("--check");
const markdownFiles = [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

const built = new Map<string, string>();
function build(name: string): string | undefined {
  const section = SECTIONS[name];
  if (section && !built.has(name)) built.set(name, section());
  return built.get(name);
}

const problems: string[] = [];
try {
  for (const file of markdownFiles) {
    const before = readFileSync(path.join(root, file), "utf8");
    const { text, stale, unknown } = regenerate(file, before, build);
    problems.push(...unknown, ...(check ? stale : []));
    if (!check && text !== before) {
      writeFileSync(path.join(root, file), text);
      console.log(`docs: wrote ${file}`);
    }
  }
  const missing = Object.keys(SECTIONS).filter((name) => !built.has(name));
  problems.push(...missing.map((name) => `docs: no file has the generated section "${name}"`));
} catch (error) {
  if (!(error instanceof SectionError)) throw error;
  problems.push(`docs: ${error.message}`);
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exitCode = 1;
else if (check) console.log(`docs: ${built.size} generated sections are current`);
