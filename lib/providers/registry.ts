// The registry: every provider the app knows, in display order. It is the only list of them:
// `ProviderId`, the environment's credential variables (lib/env.ts), the test stacks' blanking of
// real credentials, `npm run dev`'s sandbox and the sign-in page come from it. Adding a provider
// is a folder and one line here (docs/providers.md). Nothing it imports reads the environment or
// holds a secret, and nothing is marked server-only: the test stacks read it outside Next.js
// (Playwright's global setup blanks the credential variables it names).
import { github } from "./github";
import { google } from "./google";
import { microsoftEntraId } from "./microsoft-entra-id";
import type { Provider } from "./types";

const registered = [google, github, microsoftEntraId] as const;

export type ProviderId = (typeof registered)[number]["id"];

/** Every credential variable's name, ids and secrets. */
export type CredentialVariable = (typeof registered)[number]["credentialsEnv"]["id" | "secret"];

/** Every provider's own settings' variable names (their `settingsEnv`). */
export type SettingVariable = SettingsOf<(typeof registered)[number]>;
type SettingsOf<Definition> = Definition extends { settingsEnv: infer Settings } ? keyof Settings & string : never;

export type RegisteredProvider = Provider & {
  id: ProviderId;
  credentialsEnv: { id: CredentialVariable; secret: CredentialVariable };
};

export const providerRegistry: readonly RegisteredProvider[] = registered;

/** The provider `id` among `providers`: configured ones, or the whole registry. */
export function findProvider<Provider extends { id: string }>(
  providers: readonly Provider[],
  id: string,
): Provider | undefined {
  return providers.find((provider) => provider.id === id);
}

export function isProviderId(value: string): value is ProviderId {
  return providerRegistry.some((provider) => provider.id === value);
}
