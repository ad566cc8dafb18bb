import { registerConnectionHooks, webhookEventTypes } from "./lib/connected-accounts";
import { getEnv, startupWarnings } from "./lib/env";
import { discoverIssuers } from "./lib/providers";

// A broken environment stops the server with one readable line; Next.js would otherwise
// log the error and keep serving failing requests. WEBHOOK_EVENTS's names are checked by the
// module that sends the events.
try {
  for (const warning of startupWarnings(getEnv())) console.warn(warning);
  webhookEventTypes();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// The app's own reactions to connection events (the needs-reconnect notice), in this process.
registerConnectionHooks();

/**
 * What the server waits for before it serves: the issuers known by discovery only (the generic
 * OpenID Connect provider). One that does not answer, or answers wrongly, is one line, and the app
 * starts with its other providers.
 */
export async function ready(): Promise<void> {
  await discoverIssuers();
}
