import "server-only";
import { z } from "zod";
import { parseKeyring } from "./token-keyring";
import { poolConfigFromUrl } from "./database-url";
import { isHttpsOrLoopback } from "./https-or-loopback";
import { providerRegistry, type CredentialVariable, type SettingVariable } from "./providers/registry";
import { signsIn, type ProviderSetting } from "./providers/types";

const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z.string().trim().optional(),
);

// Each provider's pair of credential variables (lib/providers/registry.ts): set both, or neither.
const credentialPairs = providerRegistry.map(({ credentialsEnv: { id, secret } }) => [id, secret] as const);
// Those of the providers that sign users in (a provider for connecting only cannot be the only one).
const signInCredentialPairs = providerRegistry
  .filter(signsIn)
  .map(({ credentialsEnv: { id, secret } }) => [id, secret] as const);

type CredentialVariables = Record<CredentialVariable, typeof optionalText>;
const credentialVariables = Object.fromEntries(
  credentialPairs.flat().map((name) => [name, optionalText]),
) as CredentialVariables;

// Variables that configure a provider beyond its credentials (a tenant, an issuer URL, scopes); a
// `needed` one goes with the provider's credentials.
const providerSettings = providerRegistry.flatMap(({ credentialsEnv, settingsEnv }) =>
  Object.entries(settingsEnv ?? {}).map(([name, setting]) => ({
    name: name as SettingVariable,
    setting: setting as ProviderSetting,
    credentialsEnv,
  })),
);

/** What configures each provider, "AUTH_X_ID/AUTH_X_SECRET" (with the settings it needs), for the error's words. */
function providerVariableSets(): string[] {
  return signInCredentialPairs.map(([id, secret]) => {
    const needed = providerSettings.filter(
      ({ setting, credentialsEnv }) => credentialsEnv.id === id && setting.withCredentials === "needed",
    );
    return [...needed.map(({ name }) => name), id, secret].join("/");
  });
}

// Each one parsed by the provider's own schema (Entra's tenant, the generic issuer's URL).
const settingVariables = Object.fromEntries(
  providerSettings.map(({ name, setting }) => [name, optionalText.pipe(setting.schema)]),
) as unknown as Record<SettingVariable, z.ZodType<unknown, unknown>>;

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string({ error: "is missing" }).superRefine((value, ctx) => {
      try {
        poolConfigFromUrl(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message.replace(/^DATABASE_URL /, "") });
      }
    }),
    AUTH_SECRET: z.string({ error: "is missing" }).min(32, "must be at least 32 characters"),
    AUTH_URL: optionalText.pipe(z.url().optional()),
    // Either tells Auth.js to trust the request's host, which makes AUTH_URL optional in production.
    AUTH_TRUST_HOST: optionalText,
    VERCEL: optionalText,
    TOKEN_ENCRYPTION_KEY: z.string({ error: "is missing" }).superRefine((value, ctx) => {
      try {
        parseKeyring(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `is invalid: ${(error as Error).message}` });
      }
    }),
    ...credentialVariables,
    ...settingVariables,
    RATE_LIMIT_TOKEN_PER_MINUTE: z.coerce.number().int().positive().default(120),
    RATE_LIMIT_ACTIONS_PER_MINUTE: z.coerce.number().int().positive().default(10),
    RATE_LIMIT_AGENT_CALLS_PER_MINUTE: z.coerce.number().int().positive().default(60),
    RATE_LIMIT_AGENT_REGISTRATIONS_PER_MINUTE: z.coerce.number().int().positive().default(30),
    // Linking or unlinking an account needs a sign-in (or a confirmation) at most this long ago.
    REAUTH_WINDOW_MINUTES: z.coerce.number().int().positive().default(10),
    // The sweep renews tokens of accounts in use that expire within this many minutes.
    SWEEP_MARGIN_MINUTES: z.coerce.number().int().positive().max(1440, "must be at most 1440 (a day)").default(10),
    // How often `npm run worker` sweeps; keep it well under the margin.
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().positive().default(60),
    // Guards the cron route that runs the sweep on serverless hosts; unset, the route is off.
    CRON_SECRET: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    // Where connection events are sent as Standard Webhooks (docs/events.md); unset, none are sent.
    WEBHOOK_URL: optionalText.pipe(
      z
        .url({ error: "is not a URL" })
        .refine(isHttpsOrLoopback, "must be an https: URL (plain http: only on 127.0.0.1 or localhost)")
        .optional(),
    ),
    // The signing secret, "whsec_" and base64 (Standard Webhooks); the receiver verifies with it.
    WEBHOOK_SECRET: optionalText.pipe(
      z
        .string()
        .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'must be "whsec_" and at least 24 bytes in base64')
        .optional(),
    ),
    // The GitHub App's webhook secret: /api/github/webhook checks X-Hub-Signature-256 with it; unset, the route is off.
    GITHUB_WEBHOOK_SECRET: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    // Which event types are sent, comma-separated (their names are checked by lib/connected-accounts/events.ts).
    WEBHOOK_EVENTS: optionalText.transform((value) =>
      value
        ?.split(",")
        .map((type) => type.trim())
        .filter(Boolean),
    ),
    // Browser tests and benchmarks run a production build against the sandbox; nothing else may.
    UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: optionalText.pipe(
      z.literal("true", { error: 'must be "true" or unset' }).optional(),
    ),
    SANDBOX_URL: optionalText.pipe(
      z
        .url()
        .refine(isHttpsOrLoopback, "is an http: URL that is not on loopback; use https:, or 127.0.0.1 for the sandbox")
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    for (const [id, secret] of credentialPairs) {
      if (Boolean(env[id]) !== Boolean(env[secret])) {
        ctx.addIssue({
          code: "custom",
          path: [env[id] ? secret : id],
          message: `is missing (set both ${id} and ${secret})`,
        });
      }
    }
    for (const { name, setting, credentialsEnv } of providerSettings) {
      if (setting.withCredentials === "needed" && env[credentialsEnv.id] && !env[name]) {
        ctx.addIssue({ code: "custom", path: [name], message: `is missing (set it with ${credentialsEnv.id})` });
      }
      if (env[name] && !env[credentialsEnv.id] && setting.withCredentials === "needed") {
        ctx.addIssue({ code: "custom", path: [credentialsEnv.id], message: `is missing (set it with ${name})` });
      }
    }
    if (env.NODE_ENV === "production" && !env.AUTH_URL && !env.AUTH_TRUST_HOST && !env.VERCEL) {
      // Auth.js would start, then answer every /api/auth request with a 500 (UntrustedHost).
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_URL"],
        message: "is missing (the server's public URL is needed in production)",
      });
    }
    if (env.NODE_ENV === "production" && env.SANDBOX_URL && !env.UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION) {
      // The sandbox's client secrets are public and it vouches for any email: anyone could sign in as anyone.
      ctx.addIssue({ code: "custom", path: ["SANDBOX_URL"], message: "is set in production" });
    }
    if (Boolean(env.WEBHOOK_URL) !== Boolean(env.WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [env.WEBHOOK_URL ? "WEBHOOK_SECRET" : "WEBHOOK_URL"],
        message: "is missing (set both WEBHOOK_URL and WEBHOOK_SECRET)",
      });
    }
    const anyProvider = env.SANDBOX_URL || signInCredentialPairs.some(([id]) => env[id]);
    if (!anyProvider) {
      // No path: the sentence names the variables itself.
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `no sign-in provider is configured: set ${providerVariableSets().join(" or ")}, or use \`npm run dev\`, which starts the sandbox`,
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

type VariableDoc = { needed: string; what: string };

// What each variable is for. docs/development.md's table is generated from this and the schema's
// defaults (`npm run docs:generate`); the type makes a variable without a line here fail to compile.
const variableDocs: Record<keyof z.input<typeof envSchema>, VariableDoc> = {
  NODE_ENV: { needed: "no", what: "`production` for a deployed server; Next.js sets it" },
  DATABASE_URL: {
    needed: "production",
    what: "`postgres://…`; unset in development and tests = embedded PostgreSQL; reads `sslmode`, `connection_limit`, `connect_timeout`, refuses `schema` other than `public` ([Deploying](deploying.md#database_url-parameters-and-tls))",
  },
  AUTH_SECRET: { needed: "yes", what: "signs cookies; `npm run dev` generates one into `.env.local`" },
  AUTH_URL: {
    needed: "production (not on Vercel)",
    what: "the public URL of the app; in production the server refuses to start without it unless `VERCEL` or `AUTH_TRUST_HOST` is set (Auth.js would answer 500 `UntrustedHost`). [Passkeys](passkeys.md) need it (https, or `http://localhost`) in every environment: their origin and RP ID come from it",
  },
  AUTH_TRUST_HOST: {
    needed: "no",
    what: "`true` makes Auth.js take the host from the request (only behind a proxy that sets it); lets production start without `AUTH_URL`",
  },
  VERCEL: { needed: "no", what: "set by Vercel; does what `AUTH_TRUST_HOST` does" },
  TOKEN_ENCRYPTION_KEY: {
    needed: "yes",
    what: "keys for tokens at rest, `id:base64key[,older…]`; `npm run dev` generates one, `npm run tokens:key` prints a new entry",
  },
  ...credentialDocs(),
  ...settingDocs(),
  RATE_LIMIT_TOKEN_PER_MINUTE: { needed: "no", what: "token endpoint reads per user per minute" },
  RATE_LIMIT_ACTIONS_PER_MINUTE: {
    needed: "no",
    what: "link starts, disconnects, *Confirm it's you* and the changes it resumes, per user per minute",
  },
  RATE_LIMIT_AGENT_CALLS_PER_MINUTE: {
    needed: "no",
    what: "MCP requests per agent and user per minute ([Agents](agents.md))",
  },
  RATE_LIMIT_AGENT_REGISTRATIONS_PER_MINUTE: {
    needed: "no",
    what: "agent registrations (`/oauth/register`) per minute, from everyone together ([Agents](agents.md))",
  },
  REAUTH_WINDOW_MINUTES: {
    needed: "no",
    what: "connecting or disconnecting needs a sign-in (or a *Confirm it's you*) at most this many minutes old",
  },
  SWEEP_MARGIN_MINUTES: {
    needed: "no",
    what: "the sweep renews tokens of accounts in use that expire within this many minutes (at most 1440)",
  },
  SWEEP_INTERVAL_SECONDS: { needed: "no", what: "how often `npm run worker` sweeps" },
  CRON_SECRET: {
    needed: "no",
    what: "opens `GET /api/cron/sweep` to `Authorization: Bearer <CRON_SECRET>`; unset, the route is off (404); 16 characters or more",
  },
  WEBHOOK_URL: {
    needed: "no",
    what: "send connection events as signed webhooks to this URL ([Events](events.md#webhooks)); set with `WEBHOOK_SECRET`; `https:` (plain `http:` only on loopback)",
  },
  WEBHOOK_SECRET: {
    needed: "no",
    what: "`whsec_` + base64, the webhooks' signing secret; `npm run webhooks:secret` prints one",
  },
  GITHUB_WEBHOOK_SECRET: {
    needed: "no",
    what: "the GitHub App's webhook secret: opens `POST /api/github/webhook` ([Provider notices](provider-notices.md)); unset, the route is off (404); 16 characters or more",
  },
  WEBHOOK_EVENTS: {
    needed: "no",
    what: "event types sent, comma-separated; an unknown type is refused",
  },
  UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION: {
    needed: "tests only",
    what: "`true` lets a production build use `SANDBOX_URL`, for browser tests and benchmarks on this machine; the server warns on every start",
  },
  SANDBOX_URL: {
    needed: "set by `npm run dev` and tests",
    what: "the sandbox's base URL; `http:` only on loopback; refused in production",
  },
};

/** The docs' rows for each provider's credential variables. */
function credentialDocs(): Record<CredentialVariable, VariableDoc> {
  return Object.fromEntries(
    providerRegistry.flatMap(({ label, credentialsEnv: { id, secret, client } }) => [
      [id, { needed: `for real ${label}`, what: `${client} id; unset = sandbox ${label}` }],
      [secret, { needed: `for real ${label}`, what: `${client} secret; set with \`${id}\`` }],
    ]),
  ) as Record<CredentialVariable, VariableDoc>;
}

/** The docs' rows for each provider's settings. */
function settingDocs(): Record<SettingVariable, VariableDoc> {
  return Object.fromEntries(
    providerSettings.map(({ name, setting, credentialsEnv }) => [
      name,
      { needed: setting.withCredentials === "needed" ? `with \`${credentialsEnv.id}\`` : "no", what: setting.what },
    ]),
  ) as Record<SettingVariable, VariableDoc>;
}

/** Each variable the app reads, in the schema's order, with its default when it has one. */
export function documentedVariables(): (VariableDoc & { name: string; defaultValue?: string })[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const doc = variableDocs[name as keyof typeof variableDocs];
    const unset = schema.safeParse(undefined);
    const value: unknown = unset.success ? unset.data : undefined;
    const defaultValue = value === undefined ? undefined : Array.isArray(value) ? value.join(",") : String(value);
    return { name, ...doc, defaultValue };
  });
}

const fixes: Record<string, string> = {
  DATABASE_URL: "set it in .env.local, or use `npm run dev`, which starts embedded PostgreSQL",
  AUTH_SECRET:
    "`npm run dev` writes one to .env.local; elsewhere generate one with `npx auth secret` or `openssl rand -base64 33`",
  TOKEN_ENCRYPTION_KEY:
    "`npm run dev` writes one to .env.local; elsewhere generate one with `npm run tokens:key` (see docs/tokens.md)",
  AUTH_URL: "set it to the address users open, e.g. https://accounts.example.com (not needed on Vercel)",
  WEBHOOK_URL: "set it to the receiver's https:// address (see docs/events.md#webhooks), or unset both WEBHOOK_*",
  WEBHOOK_SECRET: "generate one with `npm run webhooks:secret`, and give the receiver the same value",
  GITHUB_WEBHOOK_SECRET:
    "generate one with `openssl rand -hex 32`, and enter the same value as the GitHub App's webhook secret",
  CRON_SECRET: "generate one with `openssl rand -base64 33`, and give the cron caller the same value",
  ...Object.fromEntries(providerSettings.flatMap(({ name, setting: { fix } }) => (fix ? [[name, fix]] : []))),
  SANDBOX_URL: `the sandbox must never serve a deployed site; set real ${credentialPairs.map(([id]) => id.replace(/_ID$/, "_*")).join("/")} credentials (browser tests of a production build set UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION=true)`,
};

// In production there is no .env.local and no `npm run dev`: the fix is the server's environment.
const productionFixes: Record<string, string> = {
  DATABASE_URL: "set it in the server's environment to your PostgreSQL's postgres:// URL",
};

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment; throws one readable line per problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    if (issue.path.length === 0) return issue.message;
    const name = String(issue.path[0]);
    const fix = (source.NODE_ENV === "production" ? productionFixes[name] : undefined) ?? fixes[name];
    return `${name} ${issue.message}${fix ? ` — ${fix}` : ""}`;
  });
  throw new EnvError(`Invalid environment: ${lines.join("; ")}. See .env.example.`);
}

/** Lines the server prints on every start: settings that are allowed but unsafe. */
export function startupWarnings(env: Env): string[] {
  return env.NODE_ENV === "production" && env.SANDBOX_URL && env.UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION
    ? [
        `WARNING: UNSAFE_ALLOW_SANDBOX_IN_PRODUCTION is set: this production server signs users in through the sandbox at ${env.SANDBOX_URL}, where anyone can sign in as anyone. Only for tests on this machine.`,
      ]
    : [];
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
