// The core names no provider (docs/providers.md): a provider's knowledge lives in its folder under
// lib/providers/, so adding one never touches the core. This fails on a registered provider's id as
// a string, a credential variable's name or another variable a provider declares, anywhere in the
// core's code (tests and comments aside).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { providerRegistry } from "./registry";

const root = path.resolve(import.meta.dirname, "../..");

const CORE = [
  "lib/auth",
  "lib/connected-accounts",
  "lib/env.ts",
  "lib/webhooks",
  "lib/http",
  "lib/words",
  "app",
  "components",
];

/** The demos lift out whole (docs/providers.md, "Removing the Google demo"): each may name its provider. */
const DEMO = [
  "components/google/",
  "app/settings/connected-accounts/google-demo.tsx",
  "components/microsoft/",
  "app/settings/connected-accounts/microsoft-demo.tsx",
];

const CREDENTIAL_VARIABLE = /\bAUTH_[A-Z0-9_]+_(ID|SECRET)\b/;

/** The registered providers' other variables (the generic issuer's AUTH_OIDC_ISSUER…). */
const SETTING_VARIABLES = providerRegistry.flatMap((provider) => Object.keys(provider.settingsEnv ?? {}));
const namesSetting = (text: string) => SETTING_VARIABLES.some((name) => new RegExp(`\\b${name}\\b`).test(text));

function sourceFiles(relative: string): string[] {
  const full = path.join(root, relative);
  if (/\.tsx?$/.test(relative)) return [relative];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() || /\.tsx?$/.test(entry.name) ? sourceFiles(path.join(relative, entry.name)) : [],
  );
}

/** Each place in `file` that names a provider: the text and its line. */
function providerNames(file: string, code: string, ids: readonly string[]): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const note = (node: ts.Node, text: string) =>
    found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text}`);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      if (ids.includes(node.text)) note(node, `the provider id "${node.text}"`);
      else if (CREDENTIAL_VARIABLE.test(node.text)) note(node, `the credential variable in "${node.text}"`);
      else if (namesSetting(node.text)) note(node, `the provider's variable in "${node.text}"`);
    } else if ((ts.isIdentifier(node) || ts.isJsxText(node)) && CREDENTIAL_VARIABLE.test(node.text)) {
      note(node, `the credential variable ${node.text.trim()}`);
    } else if ((ts.isIdentifier(node) || ts.isJsxText(node)) && namesSetting(node.text)) {
      note(node, `the provider's variable ${node.text.trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the core names no provider", () => {
  const ids = providerRegistry.map((provider) => provider.id);

  it("finds what it looks for (the check itself)", () => {
    const code = [
      'if (account.provider === "google") use(env.AUTH_GOOGLE_ID);',
      "const url = `/api/auth/signin/${'github'}`;",
      'const words = "set AUTH_ACME_SECRET";',
      '// a comment about "google" is prose',
      'import { github } from "../providers/github";',
      'const label = "Google";',
      'const issuer = env.AUTH_OIDC_ISSUER ?? "see AUTH_OIDC_SCOPES";',
    ].join("\n");
    expect(providerNames("example.ts", code, ids)).toEqual([
      'example.ts:1: the provider id "google"',
      "example.ts:1: the credential variable AUTH_GOOGLE_ID",
      'example.ts:2: the provider id "github"',
      'example.ts:3: the credential variable in "set AUTH_ACME_SECRET"',
      "example.ts:7: the provider's variable AUTH_OIDC_ISSUER",
      'example.ts:7: the provider\'s variable in "see AUTH_OIDC_SCOPES"',
    ]);
  });

  it("lib/auth, lib/connected-accounts, lib/env.ts, lib/webhooks, lib/http, lib/words, app/ and components/", () => {
    const files = CORE.flatMap(sourceFiles).filter(
      (file) => !/\.test\.tsx?$/.test(file) && !DEMO.some((demo) => file.startsWith(demo)),
    );
    expect(files.length).toBeGreaterThan(100);
    const names = files.flatMap((file) => providerNames(file, readFileSync(path.join(root, file), "utf8"), ids));
    expect(names).toEqual([]);
  });
});
