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
  isSignInScope,
  provesSignIn,
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
    const client = usableClient(definition, env);
    if (!client) return [];
    const settings = providerSettings(definition, env);
    const { endpoints } = definition;
    if ("production" in endpoints) {
      const { production } = endpoints;
      const urls = client.sandbox
        ? endpoints.sandbox(sandboxBase(env), settings)
        : typeof production === "function"
          ? production(settings)
          : production;
      return [{ ...definition, ...client, urls, settings }];
    }
    const issuer = issuerToDiscover(definition, env)!;
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
        settings,
      },
    ];
  });
}

/** Real credentials when both are set, otherwise the sandbox's client when there is a sandbox. */
function usableClient(definition: RegisteredProvider, env: Env) {
  const clientId: string | undefined = env[definition.credentialsEnv.id];
  const clientSecret: string | undefined = env[definition.credentialsEnv.secret];
  if (clientId && clientSecret) return { clientId, clientSecret, sandbox: false };
  if (!env.SANDBOX_URL) return undefined;
  return { clientId: definition.sandboxClient.id, clientSecret: definition.sandboxClient.secret, sandbox: true };
}

function sandboxBase(env: Env): string {
  return (env.SANDBOX_URL ?? "").replace(/\/$/, "");
}

/** The issuer discovery looks up for `definition`: undefined when its endpoints are written, or it is not configured. */
function issuerToDiscover(definition: RegisteredProvider, env: Env): string | undefined {
  const client = usableClient(definition, env);
  const { endpoints } = definition;
  if (!client || !("discovery" in endpoints)) return undefined;
  return client.sandbox
    ? endpoints.discovery.sandbox(sandboxBase(env))
    : endpoints.discovery.production(providerSettings(definition, env));
}

/**
 * Looks up the issuers of the configured providers known by discovery, and waits for them (or
 * their one-line failure): the server's start, the worker's and a test's.
 */
export async function discoverIssuers(): Promise<void> {
  const env = getEnv();
  await discoverAll(
    providerRegistry.flatMap((definition) => {
      const issuer = issuerToDiscover(definition, env);
      return issuer ? [{ provider: definition.id, issuer }] : [];
    }),
  );
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

/**
 * Why provider `id`, configured here, cannot be used right now: its issuer has not answered
 * discovery yet (it is looked up again while the app is used). Undefined for any other provider.
 */
export function awaitingDiscovery(id: string, env: Env = getEnv()): string | undefined {
  const definition = findProvider(providerRegistry, id);
  const issuer = definition && issuerToDiscover(definition, env);
  if (!issuer || discoveredEndpoints(issuer)) return undefined;
  return `${issuer} has not answered its discovery request yet`;
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
