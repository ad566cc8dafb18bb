// The registry: every provider the app knows, in display order. It is the only list of them:
// `ProviderId`, the environment's credential variables (lib/env.ts), the test stacks' blanking of
// real credentials, `npm run dev`'s sandbox and the sign-in page come from it. Adding a provider
// is a folder and one line here (docs/providers.md). Nothing it imports reads the environment or
// holds a secret, and nothing is marked server-only: the test stacks read it outside Next.js
// (Playwright's global setup blanks the credential variables it names).
import { github } from "./github";
import { githubApp } from "./github-app";
import { google } from "./google";
import { microsoftEntraId } from "./microsoft-entra-id";
import { oidcProvider } from "./oidc";
import type { Provider, ProviderSetting } from "./types";

const registered = [
  google,
  github,
  // For connecting only: a GitHub App for repository access.
  githubApp,
  microsoftEntraId,
  // Any OpenID Connect issuer, from AUTH_OIDC_* (docs/providers.md); one line per further issuer.
  oidcProvider({ id: "oidc", label: "OpenID Connect", envPrefix: "AUTH_OIDC" }),
] as const;

export type ProviderId = (typeof registered)[number]["id"];

/** Every credential variable's name, ids and secrets. */
export type CredentialVariable = (typeof registered)[number]["credentialsEnv"]["id" | "secret"];

type SettingsOf<Entry> = Entry extends { settingsEnv: infer Settings } ? keyof Settings & string : never;

/** Every variable that configures a provider beyond its credentials (settingsEnv). */
export type SettingVariable = SettingsOf<(typeof registered)[number]>;

export type RegisteredProvider = Provider & {
  id: ProviderId;
  credentialsEnv: { id: CredentialVariable; secret: CredentialVariable };
  settingsEnv?: Readonly<Partial<Record<SettingVariable, ProviderSetting>>>;
};

/** Every variable `provider` reads: its credentials, then its settings. */
export function providerVariables(provider: RegisteredProvider): (CredentialVariable | SettingVariable)[] {
  const settings = Object.keys(provider.settingsEnv ?? {}) as SettingVariable[];
  return [provider.credentialsEnv.id, provider.credentialsEnv.secret, ...settings];
}

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
