import { getEnv } from "./lib/env";

// A broken environment stops the server with one readable line; Next.js would otherwise
// log the error and keep serving failing requests.
try {
  getEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
