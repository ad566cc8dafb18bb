import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  {
    // Playwright fixtures receive a `use` callback that is not React's `use` hook.
    files: ["e2e/**", "test/playwright/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  // Imports flow one way: e2e/ and tests → scripts/ → sandbox/, and the app (app/, components/,
  // lib/) never reaches into the tooling. The sandbox is self-contained so it can be lifted out.
  // Where test infrastructure lives: test/ holds what only tests use (test/vitest/: global setup,
  // environment, server-only stub; test/playwright/: global setup, fixtures, page objects);
  // scripts/lib/ holds the stack tests share with the benchmarks and `npm run dev`; sandbox/ holds
  // the stand-in providers and their clients (test-client.ts, browser-login.ts).
  {
    files: ["sandbox/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../*", "@/*"], message: "sandbox/ imports only its own files and packages." }] },
      ],
    },
  },
  {
    files: ["scripts/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/e2e/**", "**/test/**"],
              message: "scripts/ must not import tests; move shared helpers into scripts/lib/.",
            },
          ],
        },
      ],
    },
  },
  // The app uses each lib folder through its index.ts; what else is in the folder is its insides.
  {
    files: ["app/**", "components/**"],
    // Tests beside a route or an action mock its insides and use test/vitest, as lib's tests do.
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // A provider's receivers (the routes providers push notices to) have their own entry point.
              regex: "^@/lib/(?!providers/[^/]+/receiver$)[^/]+/",
              message: "Import from the folder's entry point (e.g. @/lib/connected-accounts), not a module inside it.",
            },
            {
              group: ["**/scripts/**", "**/sandbox/**", "**/e2e/**", "**/test/**"],
              message: "The app must not import the developer tooling.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**", "proxy.ts", "instrumentation*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/scripts/**", "**/sandbox/**", "**/e2e/**", "**/test/**"],
              message: "The app must not import the developer tooling.",
            },
          ],
        },
      ],
    },
  },
  // Which way lib's folders import (docs/development.md, "Imports flow one way"): lib/http and
  // lib/auth may use the token core; the token core uses neither, nor lib/webhooks (the cron route
  // composes the sweep with delivery).
  ...[false, true].map((tests) => ({
    files: tests ? ["lib/connected-accounts/**/*.test.ts"] : ["lib/connected-accounts/**"],
    ignores: tests ? [] : ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/auth", "**/auth/**", "@/lib/auth*", "**/http", "**/http/**", "@/lib/http*"],
              message: "The token core never imports lib/auth or lib/http; they import it.",
            },
            {
              group: ["**/webhooks", "**/webhooks/**", "@/lib/webhooks*"],
              message: "The token core never imports lib/webhooks; compose them where both are used.",
            },
            // A later entry replaces the rule for its files: the tooling rule above again, except for tests.
            ...(tests
              ? []
              : [
                  {
                    group: ["**/scripts/**", "**/sandbox/**", "**/e2e/**", "**/test/**"],
                    message: "The app must not import the developer tooling.",
                  },
                ]),
          ],
        },
      ],
    },
  })),
  {
    files: ["lib/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value=/^(@\\/|(\\.\\.\\/)+)(app|components)\\//]",
          message: "lib/ never imports app/ or components/.",
        },
      ],
    },
  },
  // The token core is used through its entry point from everywhere outside it: the app, the rest of
  // lib/, scripts/ and every test. Only the benchmarks below use its insides: the provider's call
  // alone (the machine's floor), the expiry margin, sealing thousands of seeded rows at once.
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: [
      "lib/connected-accounts/**",
      "scripts/bench-load.ts",
      "scripts/bench-sweep.ts",
      "scripts/lib/slow-provider-worker.ts",
    ],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./",
              from: "./lib/connected-accounts",
              except: ["./index.ts"],
              message: "Import the token core from its entry point (lib/connected-accounts/index.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
];

export default config;
