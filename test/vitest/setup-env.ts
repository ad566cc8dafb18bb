import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// What lib/env.ts needs, pointing at the test database. Set before any lib module reads it.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET = randomBytes(33).toString("base64url");
process.env.TOKEN_ENCRYPTION_KEY = inject("tokenEncryptionKey");
process.env.SANDBOX_URL ??= "http://127.0.0.1:9";
for (const name of ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET", "AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"]) {
  delete process.env[name];
}
