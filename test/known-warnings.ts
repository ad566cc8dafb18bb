// Imported first by the test setups (test/vitest/capture-logs.ts, test/playwright/global-setup.ts):
// leaves out of console.warn the warnings oidc-provider (the sandbox) prints that are known and
// harmless in tests (docs/development.md). It supports Node 22+ and says so on Node 20, as it is
// imported; the sandbox reads the token request's body before it does. Everything else still
// prints, and `npm run dev` shows these too.
const KNOWN_WARNINGS = [
  "oidc-provider WARNING: Unsupported runtime.",
  "oidc-provider WARNING: already parsed request body detected",
];

const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const [first] = args;
  if (typeof first === "string" && KNOWN_WARNINGS.some((known) => first.includes(known))) return;
  warn(...args);
};
