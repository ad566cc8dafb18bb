import { registerConnectionHooks } from "./lib/connected-accounts";
import { getEnv, startupWarnings } from "./lib/env";

// A broken environment stops the server with one readable line; Next.js would otherwise
// log the error and keep serving failing requests. Then the app's own reactions to connection
// events (the needs-reconnect notice) are registered in this process; that checks WEBHOOK_EVENTS.
try {
  for (const warning of startupWarnings(getEnv())) console.warn(warning);
  registerConnectionHooks();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
