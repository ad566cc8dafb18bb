// What the app (app/, components/) may use of lib/providers: the registry and each provider's definition.
import "server-only";
import { z } from "zod";
import { getEnv, type Env } from "../env";
import { discoverAll, discoveredEndpoints, discoveryState } from "./discovery";
import { findProvider, providerRegistry, type RegisteredProvider, type SettingVariable } from "./registry";
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
  isOpenIdConnect,
  isSignInScope,
  scopeLabel,
  signsIn,
} from "./types";
export { findProvider, isProviderId, providerRegistry, type ProviderId } from "./registry";
export { clientAuthentication, PROVIDER_TIMEOUT_MS } from "./standard";
// The Google demo (lib/google, components/google) uses its provider's scopes and words.
export { google } from "./google";

/** A registered provider ready to use: real credentials when set, otherwise the local sandbox. */
export type ConfiguredProvider = RegisteredProvider & ProviderConfiguration;

export function configuredProviders(env: Env): ConfiguredProvider[] {
  return providerRegistry.flatMap((definition): ConfiguredProvider[] => {
    const clientId: string | undefined = env[definition.credentialsEnv.id];
    const clientSecret: string | undefined = env[definition.credentialsEnv.secret];
    const real = Boolean(clientId && clientSecret);
    if (!real && !env.SANDBOX_URL) return [];
    const sandboxUrl = env.SANDBOX_URL?.replace(/\/$/, "") ?? "";
    const client = real
      ? { clientId: clientId!, clientSecret: clientSecret!, sandbox: false }
      : { clientId: definition.sandboxClient.id, clientSecret: definition.sandboxClient.secret, sandbox: true };
    const { endpoints } = definition;
    if ("production" in endpoints) {
      return [{ ...definition, ...client, urls: real ? endpoints.production : endpoints.sandbox(sandboxUrl) }];
    }
    const settings = providerSettings(definition, env);
    const issuer = real ? endpoints.discovery.production(settings) : endpoints.discovery.sandbox(sandboxUrl);
    const urls = discoveredEndpoints(issuer);
    if (!urls) return [];
    return [
      {
        ...definition,
        ...definition.fromSettings?.(settings, issuer),
        // An issuer without a revocation endpoint: Disconnect says plainly that it cannot revoke.
        ...(urls.revocation ? {} : { revocation: { token: "none" } as const }),
        ...client,
        urls,
      },
    ];
  });
}

/** The issuers to look up by discovery when the server starts: those of configured providers that have no written endpoints. */
function discoveryIssuers(env: Env): { provider: string; issuer: string }[] {
  return providerRegistry.flatMap((definition) => {
    const { endpoints } = definition;
    if (!("discovery" in endpoints)) return [];
    const real = Boolean(env[definition.credentialsEnv.id] && env[definition.credentialsEnv.secret]);
    if (real)
      return [{ provider: definition.id, issuer: endpoints.discovery.production(providerSettings(definition, env)) }];
    if (env.SANDBOX_URL)
      return [{ provider: definition.id, issuer: endpoints.discovery.sandbox(env.SANDBOX_URL.replace(/\/$/, "")) }];
    return [];
  });
}

/** Looks up the configured issuers found by discovery and waits for them (or their one-line failure): the server's, the worker's and a test's start. */
export async function discoverIssuers(): Promise<void> {
  await discoverAll(discoveryIssuers(getEnv()));
}

function providerSettings(definition: RegisteredProvider, env: Env): ProviderSettings {
  const names = Object.keys(definition.settingsEnv ?? {}) as SettingVariable[];
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}

let cached: { version: number; providers: ConfiguredProvider[] } | undefined;

/**
 * The providers this deployment offers, from the validated environment. One whose issuer discovery
 * has not found is left out; while an issuer is failing, the list is worked out at each call, which
 * is what looks it up again (discoveredEndpoints).
 */
export function getConfiguredProviders(): ConfiguredProvider[] {
  const { version, failing } = discoveryState();
  if (cached?.version !== version || failing) cached = { version, providers: configuredProviders(getEnv()) };
  return cached.providers;
}

/** The name shown for provider `id`: as configured here (the generic issuer's may come from the environment), else the registry's. */
export function providerLabel(id: string): string {
  return (findProvider(getConfiguredProviders(), id) ?? findProvider(providerRegistry, id))?.label ?? id;
}

/** A form field naming a provider configured here; parses to the provider itself. */
export const configuredProviderField = z.string().transform((id, context) => {
  const provider = findProvider(getConfiguredProviders(), id);
  if (provider) return provider;
  context.addIssue({ code: "custom", message: "not a configured provider" });
  return z.NEVER;
});
