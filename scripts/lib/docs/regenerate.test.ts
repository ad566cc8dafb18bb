import { describe, expect, it } from "vitest";
import { regenerate } from "./regenerate";

const open = "<!-- generated:events (npm run docs:generate) -->";
const close = "<!-- /generated:events -->";
const build = (name: string) => (name === "events" ? "- `a.done`\n- `b.failed`" : undefined);

describe("regenerate", () => {
  it("leaves a current section alone, and says nothing", () => {
    const markdown = `intro\n${open}\n- \`a.done\`\n- \`b.failed\`\n${close}\nafter\n`;
    expect(regenerate("docs/x.md", markdown, build)).toEqual({ text: markdown, stale: [], unknown: [] });
  });

  it("rewrites a stale section between its markers, and names it and the fix in one line", () => {
    const { text, stale } = regenerate("docs/x.md", `intro\n${open}\n- \`a.done\`\n${close}\nafter\n`, build);
    expect(text).toBe(`intro\n${open}\n- \`a.done\`\n- \`b.failed\`\n${close}\nafter\n`);
    expect(stale).toEqual(['docs/x.md: the generated section "events" is not current; run npm run docs:generate']);
  });

  it("fills an empty section, and refuses a name it does not know", () => {
    expect(regenerate("README.md", `${open}\n${close}`, build).text).toBe(
      `${open}\n- \`a.done\`\n- \`b.failed\`\n${close}`,
    );
    const unknown = "<!-- generated:nope (npm run docs:generate) -->\nold\n<!-- /generated:nope -->";
    expect(regenerate("README.md", unknown, build)).toEqual({
      text: unknown,
      stale: [],
      unknown: ['README.md: unknown generated section "nope"'],
    });
  });
});
