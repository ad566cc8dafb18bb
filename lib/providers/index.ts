// What the app (app/, components/) may use of lib/providers: the registry and each provider's definition.
import "server-only";
import { z } from "zod";
import { getEnv, type Env } from "../env";
import { findProvider, providerRegistry, type RegisteredProvider } from "./registry";
import type { ProviderConfiguration, ProviderSettings } from "./types";

export type {
  AccountProfile,
  GrantEnd,
  GrantEndReason,
  Provider,
  ProviderDefinition,
  ProviderEndpoints,
} from "./types";
export {
  canonicalScope,
  canonicalScopes,
  grantIncludes,
  isSignInScope,
  provesSignIn,
  scopeLabel,
  signsIn,
} from "./types";
export { findProvider, isProviderId, providerRegistry, type ProviderId } from "./registry";
export { PROVIDER_TIMEOUT_MS } from "./standard";
// The Google demo (lib/google, components/google) uses its provider's scopes and words.
export { google } from "./google";

/** A registered provider ready to use: real credentials when set, otherwise the local sandbox. */
export type ConfiguredProvider = RegisteredProvider & ProviderConfiguration;

export function configuredProviders(env: Env): ConfiguredProvider[] {
  return providerRegistry.flatMap((definition): ConfiguredProvider[] => {
    const clientId: string | undefined = env[definition.credentialsEnv.id];
    const clientSecret: string | undefined = env[definition.credentialsEnv.secret];
    const settings = providerSettings(definition, env);
    if (clientId && clientSecret) {
      const { production } = definition.endpoints;
      const urls = typeof production === "function" ? production(settings) : production;
      return [{ ...definition, clientId, clientSecret, sandbox: false, urls, settings }];
    }
    if (env.SANDBOX_URL) {
      const { id, secret } = definition.sandboxClient;
      const urls = definition.endpoints.sandbox(env.SANDBOX_URL.replace(/\/$/, ""), settings);
      return [{ ...definition, clientId: id, clientSecret: secret, sandbox: true, urls, settings }];
    }
    return [];
  });
}

/** The provider's own settings as lib/env.ts parsed them, keyed by variable name. */
function providerSettings(definition: RegisteredProvider, env: Env): ProviderSettings {
  const values: Readonly<Record<string, unknown>> = env;
  return Object.fromEntries(Object.keys(definition.settingsEnv ?? {}).map((name) => [name, values[name]]));
}

let cached: ConfiguredProvider[] | undefined;

/** The providers this deployment offers, from the validated environment. */
export function getConfiguredProviders(): ConfiguredProvider[] {
  cached ??= configuredProviders(getEnv());
  return cached;
}

/** A form field naming a provider configured here; parses to the provider itself. */
export const configuredProviderField = z.string().transform((id, context) => {
  const provider = findProvider(getConfiguredProviders(), id);
  if (provider) return provider;
  context.addIssue({ code: "custom", message: "not a configured provider" });
  return z.NEVER;
});
