// Rebuilding the generated sections of one markdown file. A section:
//   <!-- generated:log-events (npm run docs:generate) -->
//   …
//   <!-- /generated:log-events -->
const SECTION = /(<!-- generated:([\w-]+) \(npm run docs:generate\) -->\n)([\s\S]*?)(<!-- \/generated:\2 -->)/g;

/**
 * `markdown` with each generated section's body replaced by `build(name)`, and one line for each
 * section that was not current (`stale`) or that `build` does not know (`unknown`).
 */
export function regenerate(
  file: string,
  markdown: string,
  build: (name: string) => string | undefined,
): { text: string; stale: string[]; unknown: string[] } {
  const stale: string[] = [];
  const unknown: string[] = [];
  const text = markdown.replace(SECTION, (whole, open: string, name: string, body: string, close: string) => {
    const built = build(name);
    if (built === undefined) {
      unknown.push(`${file}: unknown generated section "${name}"`);
      return whole;
    }
    const current = `${built}\n`;
    if (body !== current)
      stale.push(`${file}: the generated section "${name}" is not current; run npm run docs:generate`);
    return `${open}${current}${close}`;
  });
  return { text, stale, unknown };
}
