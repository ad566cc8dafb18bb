// What the app (app/, components/) may use of lib/providers: the registry and each provider's definition.
import "server-only";
import { z } from "zod";
import { getEnv, type Env } from "../env";
import { github } from "./github";
import { google } from "./google";
import type { ProviderDefinition, ProviderEndpoints, ProviderId } from "./types";

export type { AccountProfile, ProviderDefinition, ProviderEndpoints, ProviderId } from "./types";
export { canonicalScope, canonicalScopes, grantIncludes, isSignInScope, scopeLabel } from "./types";
export { google } from "./google";

/** How long we wait for any provider endpoint (token, revocation, API) before giving up. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** Every provider the app knows, in display order. Adding one takes a few steps: docs/providers.md. */
export const providerRegistry: readonly ProviderDefinition[] = [google, github];

/** A provider ready to use: real credentials when set, otherwise the local sandbox. */
export type ConfiguredProvider = ProviderDefinition & {
  clientId: string;
  clientSecret: string;
  sandbox: boolean;
  urls: ProviderEndpoints;
};

export function configuredProviders(env: Env): ConfiguredProvider[] {
  return providerRegistry.flatMap((definition): ConfiguredProvider[] => {
    const clientId = env[definition.credentialsEnv.id];
    const clientSecret = env[definition.credentialsEnv.secret];
    if (clientId && clientSecret) {
      return [{ ...definition, clientId, clientSecret, sandbox: false, urls: definition.endpoints.production }];
    }
    if (env.SANDBOX_URL) {
      const { id, secret } = definition.sandboxClient;
      const urls = definition.endpoints.sandbox(env.SANDBOX_URL.replace(/\/$/, ""));
      return [{ ...definition, clientId: id, clientSecret: secret, sandbox: true, urls }];
    }
    return [];
  });
}

let cached: ConfiguredProvider[] | undefined;

/** The providers this deployment offers, from the validated environment. */
export function getConfiguredProviders(): ConfiguredProvider[] {
  cached ??= configuredProviders(getEnv());
  return cached;
}

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

/** A form field naming a provider configured here; parses to the provider itself. */
export const configuredProviderField = z.string().transform((id, context) => {
  const provider = findProvider(getConfiguredProviders(), id);
  if (provider) return provider;
  context.addIssue({ code: "custom", message: "not a configured provider" });
  return z.NEVER;
});
