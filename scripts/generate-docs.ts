// `npm run docs:generate` rewrites the generated sections of README.md and docs/*.md from the code;
// `--check` (run by `npm run lint`) fails, one line per section, when one is not current. A section:
//   <!-- generated:log-events (npm run docs:generate) -->
//   …
//   <!-- /generated:log-events -->
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root, SectionError, SECTIONS } from "./lib/docs/sections";

const check = process.argv.includes("--check");
const FIX = "npm run docs:generate";
const markdownFiles = [
  "README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const SECTION = /(<!-- generated:([\w-]+) \(npm run docs:generate\) -->\n)([\s\S]*?)(<!-- \/generated:\2 -->)/g;

const problems: string[] = [];
const built = new Map<string, string>();
function build(name: string): string | undefined {
  if (built.has(name)) return built.get(name);
  const section = SECTIONS[name];
  if (!section) return undefined;
  const text = `${section()}\n`;
  built.set(name, text);
  return text;
}

let complete = true;
try {
  for (const file of markdownFiles) {
    const before = readFileSync(path.join(root, file), "utf8");
    const after = before.replace(SECTION, (whole, open: string, name: string, body: string, close: string) => {
      const text = build(name);
      if (text === undefined) {
        problems.push(`${file}: unknown generated section "${name}" (known: ${Object.keys(SECTIONS).join(", ")})`);
        return whole;
      }
      if (body !== text && check) problems.push(`${file}: the generated section "${name}" is not current; run ${FIX}`);
      return `${open}${text}${close}`;
    });
    if (!check && after !== before) {
      writeFileSync(path.join(root, file), after);
      console.log(`docs: wrote ${file}`);
    }
  }
} catch (error) {
  if (!(error instanceof SectionError)) throw error;
  problems.push(`docs: ${error.message}`);
  complete = false;
}
for (const name of Object.keys(SECTIONS)) {
  if (complete && !built.has(name)) problems.push(`docs: no file has the generated section "${name}"`);
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exitCode = 1;
else if (check) console.log(`docs: ${built.size} generated sections are current`);
