import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { providerRegistry } from "../../lib/providers/registry";

// What lib/env.ts needs, pointing at the test database. Set before any lib module reads it.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET = randomBytes(33).toString("base64url");
process.env.TOKEN_ENCRYPTION_KEY = inject("tokenEncryptionKey");
process.env.SANDBOX_URL ??= "http://127.0.0.1:9";
// Tests never reach a real provider, whatever a developer's environment holds.
for (const { credentialsEnv, settingsEnv } of providerRegistry) {
  delete process.env[credentialsEnv.id];
  delete process.env[credentialsEnv.secret];
  // A provider's own settings too (a real Microsoft tenant id is unknown to the sandbox).
  for (const name of Object.keys(settingsEnv ?? {})) delete process.env[name];
}
