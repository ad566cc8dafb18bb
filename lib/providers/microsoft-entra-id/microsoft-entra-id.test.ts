import { randomUUID } from "node:crypto";
import { customFetch } from "@auth/core";
import * as oauth from "oauth4webapi";
import { describe, expect, it, vi } from "vitest";
import { MICROSOFT_TENANTS } from "../../../sandbox";
import type { RefreshMode } from "../../../sandbox/state";
import { authorizeMicrosoft, type TokenAnswer } from "../../../sandbox/test-client";
import { expireAccessToken, linkedUser } from "../../../scripts/lib/linked-account";
import { signInTraces } from "../../../test/vitest/account-snapshot";
import { sandboxAndDatabaseForThisFile } from "../../../test/vitest/sandbox-and-database";
import { reverificationFactor } from "../../auth/reverification";
import { decideSignIn } from "../../auth/sign-in-policy";
import { verifiedEmail } from "../../auth/verified-email";
import {
  connectAuthorizationParams,
  fetchAs,
  getAccessToken,
  KEEP_ALIVE_DAYS,
  listConnectedAccounts,
  parseClaimsRequest,
  recentEvents,
  unlinkAccount,
} from "../../connected-accounts";
import { confirmationText, describeEvent, manageAccessWords, reconnectAdvice } from "../../words";
import { parseEnv } from "../../env";
import { generateKeyEntry } from "../../token-keyring";
import {
  configuredProviders,
  findProvider,
  getConfiguredProviders,
  grantIncludes,
  provesSignIn,
  type ConfiguredProvider,
} from "..";
import { edovEmail, expectedIssuer, issuerTemplate, tenantAdmitted } from ".";

// No browser, no link started: the sign-in policy sees a plain sign-in.
vi.mock("../../auth/account-flow-cookie", () => ({ takeAccountFlow: async () => ({ started: false }) }));

const stack = sandboxAndDatabaseForThisFile();
const ADA = "ada@contoso.example"; // tenant A, xms_edov true
const BEN = "ben@fabrikam.example"; // tenant B, xms_edov false
const ALICE = "alice@example.com"; // a personal account
const CP1 = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
const APP_SCOPES = "openid profile email offline_access";

const microsoft = () => findProvider(getConfiguredProviders(), "microsoft-entra-id")!;
const withSettings = (settings: Record<string, unknown>): ConfiguredProvider => ({ ...microsoft(), settings });
const sign = (email: string, scope = APP_SCOPES) =>
  authorizeMicrosoft(stack.sandbox().url, { email, scope, claims: CP1 });

/** The ID token's claims, unverified (the sandbox signed it; these tests change them). */
function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}

/** The same ID token with some claims changed (its signature no longer matches: oauth4webapi does not check it). */
function forged(idToken: string, changes: Record<string, unknown>): string {
  const [header, , signature] = idToken.split(".");
  const payload = Buffer.from(JSON.stringify({ ...claimsOf(idToken), ...changes })).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

describe("Microsoft's settings (lib/env.ts validates them without naming them)", () => {
  const base = {
    DATABASE_URL: "postgres://u:p@127.0.0.1:5432/app",
    AUTH_SECRET: "x".repeat(40),
    SANDBOX_URL: "http://127.0.0.1:4000",
    TOKEN_ENCRYPTION_KEY: generateKeyEntry("k1"),
  };
  const urlsWith = (env: Record<string, string>) =>
    findProvider(configuredProviders(parseEnv({ ...base, ...env })), "microsoft-entra-id")!.urls;

  it("takes common by default, or organizations, consumers or a tenant id, into its endpoints", () => {
    expect(urlsWith({}).issuer).toBe("http://127.0.0.1:4000/microsoft/common/v2.0");
    expect(urlsWith({ AUTH_MICROSOFT_ENTRA_ID_TENANT: "organizations" }).token).toBe(
      "http://127.0.0.1:4000/microsoft/organizations/oauth2/v2.0/token",
    );
    const upper = MICROSOFT_TENANTS.contoso.toUpperCase();
    expect(urlsWith({ AUTH_MICROSOFT_ENTRA_ID_TENANT: upper }).authorization).toBe(
      `http://127.0.0.1:4000/microsoft/${MICROSOFT_TENANTS.contoso}/oauth2/v2.0/authorize`,
    );
    const real = urlsWith({
      AUTH_MICROSOFT_ENTRA_ID_ID: "client",
      AUTH_MICROSOFT_ENTRA_ID_SECRET: "secret",
      AUTH_MICROSOFT_ENTRA_ID_TENANT: "consumers",
    });
    expect(real).toEqual({
      issuer: "https://login.microsoftonline.com/consumers/v2.0",
      authorization: "https://login.microsoftonline.com/consumers/oauth2/v2.0/authorize",
      token: "https://login.microsoftonline.com/consumers/oauth2/v2.0/token",
      api: "https://graph.microsoft.com/v1.0",
    });
  });

  it("refuses a tenant that is none of those, and an allow-list with something else than tenant ids", () => {
    expect(() => parseEnv({ ...base, AUTH_MICROSOFT_ENTRA_ID_TENANT: "contoso.com" })).toThrow(
      /AUTH_MICROSOFT_ENTRA_ID_TENANT must be common, organizations, consumers or a tenant id \(a GUID\) — set common/,
    );
    expect(() => parseEnv({ ...base, AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS: "contoso, fabrikam" })).toThrow(
      /AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS must list tenant ids \(GUIDs\) — list tenant ids/,
    );
    const env = parseEnv({
      ...base,
      AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS: ` ${MICROSOFT_TENANTS.contoso.toUpperCase()},${MICROSOFT_TENANTS.personal} `,
    });
    expect(findProvider(configuredProviders(env), "microsoft-entra-id")!.settings).toEqual({
      AUTH_MICROSOFT_ENTRA_ID_TENANT: "common",
      AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS: [MICROSOFT_TENANTS.contoso, MICROSOFT_TENANTS.personal],
    });
  });
});

describe("Microsoft's issuer: the template with the ID token's own tid, compared exactly", () => {
  it("substitutes tid into {tenantid}; a tenant endpoint's own issuer stays as it is", () => {
    const template = "https://login.microsoftonline.com/{tenantid}/v2.0";
    expect(expectedIssuer(template, { tid: MICROSOFT_TENANTS.fabrikam })).toBe(
      `https://login.microsoftonline.com/${MICROSOFT_TENANTS.fabrikam}/v2.0`,
    );
    expect(expectedIssuer(template, {})).toBeUndefined();
    expect(expectedIssuer(template, { tid: "../evil" })).toBeUndefined();
    const own = `https://login.microsoftonline.com/${MICROSOFT_TENANTS.contoso}/v2.0`;
    expect(expectedIssuer(own, { tid: MICROSOFT_TENANTS.fabrikam })).toBe(own);
    expect(issuerTemplate(microsoft())).toBe(`${stack.sandbox().url}/microsoft/{tenantid}/v2.0`);
  });

  /** The sign-in's path: Auth.js reads discovery through the provider's fetch, then checks the code answer. */
  async function signInAnswer(answer: TokenAnswer) {
    const provider = microsoft();
    const shared = {
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      authorization: { params: {} },
      checks: ["pkce", "state"] as ("pkce" | "state")[],
      allowDangerousEmailAccountLinking: false,
      profile: async () => ({ id: "", name: null, image: null, email: null, accountProfile: {} }),
      account: (tokens: object) => tokens,
    };
    const config = provider.authJsProvider(provider, shared) as unknown as Record<symbol, typeof fetch>;
    const issuer = new URL(provider.urls.issuer);
    const discovered = await oauth.discoveryRequest(issuer, {
      [oauth.customFetch]: config[customFetch],
      [oauth.allowInsecureRequests]: true,
    });
    const as = await oauth.processDiscoveryResponse(issuer, discovered);
    const client = { client_id: provider.clientId };
    const processed = await oauth.processAuthorizationCodeResponse(as, client, Response.json(answer), {
      requireIdToken: true,
    });
    return oauth.getValidatedIdTokenClaims(processed)!;
  }

  it("accepts a work account's and a personal account's ID tokens, each naming its own tenant", async () => {
    expect((await signInAnswer(await sign(ADA))).tid).toBe(MICROSOFT_TENANTS.contoso);
    expect((await signInAnswer(await sign(ALICE))).tid).toBe(MICROSOFT_TENANTS.personal);
  });

  it("refuses a forged tid, an iss naming another tenant, and a token with no tid", async () => {
    const tokens = await sign(ADA);
    const idToken = tokens.id_token!;
    for (const changes of [
      { tid: MICROSOFT_TENANTS.fabrikam },
      { iss: `${stack.sandbox().url}/microsoft/${MICROSOFT_TENANTS.fabrikam}/v2.0` },
      { tid: undefined },
    ]) {
      await expect(signInAnswer({ ...tokens, id_token: forged(idToken, changes) })).rejects.toThrow(
        /unexpected JWT "iss" \(issuer\) claim value/,
      );
    }
  });

  it("checks a refresh's ID token the same way", async () => {
    const provider = microsoft();
    const as = provider.authorizationServer!(provider);
    const client = { client_id: provider.clientId };
    const tokens = await sign(BEN);
    await expect(oauth.processRefreshTokenResponse(as, client, Response.json(tokens))).resolves.toMatchObject({
      access_token: tokens.access_token,
    });
    const forgedAnswer = { ...tokens, id_token: forged(tokens.id_token!, { tid: MICROSOFT_TENANTS.contoso }) };
    await expect(oauth.processRefreshTokenResponse(as, client, Response.json(forgedAnswer))).rejects.toThrow(
      /unexpected JWT "iss"/,
    );
  });
});

describe("Microsoft's tenant allow-list", () => {
  const onlyContoso = () => withSettings({ AUTH_MICROSOFT_ENTRA_ID_ALLOWED_TENANTS: [MICROSOFT_TENANTS.contoso] });

  it("admits every tenant without a list, and only the listed ones with one", () => {
    expect(tenantAdmitted(microsoft(), { tid: MICROSOFT_TENANTS.fabrikam })).toBe(true);
    expect(tenantAdmitted(onlyContoso(), { tid: MICROSOFT_TENANTS.contoso })).toBe(true);
    expect(tenantAdmitted(onlyContoso(), { tid: MICROSOFT_TENANTS.fabrikam })).toBe(false);
    expect(tenantAdmitted(onlyContoso(), { tid: MICROSOFT_TENANTS.personal })).toBe(false);
    expect(tenantAdmitted(onlyContoso(), {})).toBe(false);
  });

  it("refuses a sign-in from a tenant off the list before any user is found or made, with its own words", async () => {
    const claims = claimsOf((await sign(BEN)).id_token!);
    const identity = { email: BEN, provider: "microsoft-entra-id", providerAccountId: String(claims.sub) };
    const before = await signInTraces(stack.db(), identity);
    const attempt = {
      provider: onlyContoso(),
      account: { provider: identity.provider, providerAccountId: identity.providerAccountId, type: "oidc" as const },
      profile: claims,
      user: { email: null },
    };
    expect(await decideSignIn(attempt, async () => null)).toBe("/sign-in?error=account_not_admitted");
    expect(await signInTraces(stack.db(), identity)).toEqual(before);
    const ada = claimsOf((await sign(ADA)).id_token!);
    const admitted = { ...attempt, profile: ada, account: { ...attempt.account, providerAccountId: String(ada.sub) } };
    expect(await decideSignIn(admitted, async () => null)).toBe(true);
  });
});

describe("Microsoft's email: joins a user only when xms_edov vouches for it", () => {
  it("vouches for the email claim only with xms_edov true", async () => {
    expect(edovEmail({ email: "Ada@Contoso.example", xms_edov: true })).toBe("ada@contoso.example");
    expect(edovEmail({ email: "ben@fabrikam.example", xms_edov: false })).toBeUndefined();
    expect(edovEmail({ email: "alice@example.com" })).toBeUndefined();
    expect(edovEmail({ preferred_username: "ada@contoso.example", xms_edov: true })).toBeUndefined();
    expect(await verifiedEmail(microsoft(), claimsOf((await sign(ADA)).id_token!), undefined)).toBe(ADA);
    expect(await verifiedEmail(microsoft(), claimsOf((await sign(BEN)).id_token!), undefined)).toBeUndefined();
  });

  it("an unverified address that is someone's never joins them: the sign-in is refused instead", async () => {
    await stack
      .db()
      .user.upsert({ where: { email: "bob@example.com" }, create: { email: "bob@example.com" }, update: {} });
    const notBob = claimsOf((await sign("bob@example.com")).id_token!);
    expect(notBob).toMatchObject({ email: "bob@example.com", xms_edov: false });
    const decision = await decideSignIn(
      {
        provider: microsoft(),
        account: { provider: "microsoft-entra-id", providerAccountId: String(notBob.sub), type: "oidc" },
        profile: notBob,
        user: { email: (await verifiedEmail(microsoft(), notBob, undefined)) ?? null },
      },
      async () => null,
    );
    expect(decision).toBe("/sign-in?error=OAuthAccountNotLinked");
  });
});

describe("Microsoft's scopes", () => {
  it("stores Graph's short names under the app's names, and never counts offline_access as missing", async () => {
    const tokens = await sign(ADA, `${APP_SCOPES} https://graph.microsoft.com/Files.Read`);
    expect(tokens.scope!.split(" ")).toContain("Files.Read");
    expect(tokens.scope!.split(" ")).not.toContain("offline_access");
    const { userId } = await linkedUser(stack.db(), "microsoft-entra-id", tokens);
    const [account] = await listConnectedAccounts(userId);
    expect(account!.grantedScopes).toEqual(["email", "https://graph.microsoft.com/Files.Read", "openid", "profile"]);
    expect(grantIncludes(microsoft(), account!.grantedScopes, "offline_access")).toBe(true);
    expect(grantIncludes(microsoft(), account!.grantedScopes, "Files.Read")).toBe(true);
    expect(grantIncludes(microsoft(), account!.grantedScopes, "https://graph.microsoft.com/Calendars.Read")).toBe(
      false,
    );
    const token = await getAccessToken(userId, {
      provider: "microsoft-entra-id",
      scopes: ["offline_access", "https://graph.microsoft.com/Files.Read"],
    });
    expect(token).toMatchObject({ ok: true });
  });
});

describe("Microsoft's refusals of a refresh (AADSTS codes)", () => {
  it.each([
    ["AADSTS65001", "missing_scopes", "consent_required", "Grant access to continue"],
    ["AADSTS50173", "reconnect_required", "expired_or_revoked", "Microsoft no longer accepts this app's access"],
    ["AADSTS700082", "reconnect_required", "unused", "Microsoft ends access that goes unused for 3 months"],
    ["AADSTS70008", "reconnect_required", "expired_or_revoked", "Microsoft no longer accepts this app's access"],
    ["AADSTS50076", "reconnect_required", "mfa_required", "sign in again to Microsoft"],
    ["AADSTS50079", "reconnect_required", "mfa_required", "sign in again to Microsoft"],
    ["AADSTS7000112", "reconnect_required", "admin_policy_enforced", "administrator has blocked this app at Microsoft"],
  ] as const)("%s: %s, the account marked with the cause %s", async (mode, code, cause, advice) => {
    const tokens = await sign(`${randomUUID()}@example.com`);
    const { userId, providerAccountId } = await linkedUser(stack.db(), "microsoft-entra-id", tokens);
    await stack.control().refreshMode("microsoft", mode as RefreshMode);
    await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, "microsoft");
    const refused = await getAccessToken(userId, { provider: "microsoft-entra-id" });
    expect(refused).toMatchObject({ ok: false, error: { code, reconnectUrl: expect.any(String) as unknown } });
    expect(refused.ok || refused.error.detail).toContain(mode);
    const [account] = await listConnectedAccounts(userId);
    expect(account).toMatchObject({ status: "needs_reconnect" });
    const events = (await recentEvents(userId)).get(account!.id) ?? [];
    expect(events.find((event) => event.type === "connected_account.needs_reconnect")?.detail).toEqual({ cause });
    expect(reconnectAdvice(events, microsoft())).toContain(advice);
  });
});

describe("Microsoft's refresh tokens: 90 days from last use, rotating, the old one not revoked", () => {
  it("are renewed by the sweep's keep-alive well within the 90 days, whether used or not", () => {
    expect(microsoft().unusedGrantDays).toBe(90);
    for (const provider of getConfiguredProviders()) {
      if (provider.unusedGrantDays !== undefined) expect(KEEP_ALIVE_DAYS).toBeLessThan(provider.unusedGrantDays);
    }
  });
});

describe("Microsoft's Continuous Access Evaluation (cp1)", () => {
  it("declares cp1 on every authorization, merged with a challenge's claims", async () => {
    const { userId } = await linkedUser(stack.db(), "microsoft-entra-id", await sign(`${randomUUID()}@example.com`));
    const plain = await connectAuthorizationParams(userId, microsoft(), []);
    expect(JSON.parse(plain.claims!)).toEqual({ access_token: { xms_cc: { values: ["cp1"] } } });
    const challenge = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
    const merged = await connectAuthorizationParams(userId, microsoft(), [], challenge);
    expect(JSON.parse(merged.claims!)).toEqual({
      access_token: { xms_cc: { values: ["cp1"] }, nbf: { essential: true, value: "1700000000" } },
    });
  });

  it("Graph's insufficient_claims: reconnect with the claims, no refresh; signing in with them clears it", async () => {
    const tokens = await sign(ADA, `${APP_SCOPES} https://graph.microsoft.com/User.Read`);
    const { userId } = await linkedUser(stack.db(), "microsoft-entra-id", tokens);
    await stack.control().cae(true, ADA);
    const me = `${microsoft().urls.api}/me`;
    const account = { provider: "microsoft-entra-id" as const, scopes: [], feature: "Profile" };

    const challenged = await fetchAs(userId, account, me);
    expect(challenged).toMatchObject({ ok: false, error: { code: "reconnect_required", providerStatus: 401 } });
    if (challenged.ok) return;
    const claims = JSON.parse(challenged.error.claimsChallenge!) as { access_token: { nbf: { essential: boolean } } };
    expect(claims.access_token.nbf.essential).toBe(true);
    const reconnect = new URL(challenged.error.reconnectUrl!, "http://app.example");
    expect(reconnect.searchParams.get("connect")).toBe("microsoft-entra-id");
    expect(reconnect.searchParams.get("claims")).toBe(challenged.error.claimsChallenge);
    // A refresh would not answer the challenge: none was tried, so there is no loop.
    expect((await stack.control().issuerStats()).microsoft.refreshRequests).toBe(0);
    expect(await fetchAs(userId, account, me)).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    expect((await stack.control().issuerStats()).microsoft.refreshRequests).toBe(0);

    // Authorizing again with the claims the connect flow sends answers the challenge.
    const params = await connectAuthorizationParams(userId, microsoft(), [], challenged.error.claimsChallenge);
    const again = await authorizeMicrosoft(stack.sandbox().url, {
      email: ADA,
      scope: params.scope!,
      claims: params.claims,
    });
    const answered = await fetch(me, { headers: { authorization: `Bearer ${again.access_token}` } });
    expect(answered.status).toBe(200);
  });

  it("refuses a claims request that is not one", () => {
    expect(parseClaimsRequest(undefined)).toEqual({ ok: true, claims: undefined });
    expect(parseClaimsRequest("{not json")).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    expect(parseClaimsRequest(JSON.stringify({ scope: "everything" }))).toMatchObject({ ok: false });
    expect(parseClaimsRequest("x".repeat(3000))).toMatchObject({ ok: false });
  });
});

describe("Disconnecting Microsoft: no revocation endpoint", () => {
  it("deletes our tokens, records that the access lives on at Microsoft, and says where to remove the app", async () => {
    const work = await linkedUser(stack.db(), "microsoft-entra-id", await sign(ADA));
    await linkedUser(stack.db(), "microsoft-entra-id", await sign(ALICE), work.userId); // another way to sign in
    const [first] = await listConnectedAccounts(work.userId);
    const unlinked = await unlinkAccount(work.userId, first!.id);
    expect(unlinked).toMatchObject({ ok: true, revocation: { ok: false }, notRevocable: true });
    expect(await stack.db().account.findUnique({ where: { id: first!.id } })).toBeNull();
    const event = (await recentEvents(work.userId))
      .get(first!.id)
      ?.find((e) => e.type === "connected_account.unlinked");
    expect(event?.detail).toEqual({ cause: "not_revocable" });
    expect(describeEvent(event!, microsoft())).toBe(
      "Disconnected; Microsoft has no way for apps to end their access, so it stays there until you remove the app",
    );
    const words = confirmationText("disconnected_not_revocable", "Microsoft", manageAccessWords(microsoft()));
    expect(words).toContain("https://myapps.microsoft.com for a work or school account");
    expect(words).toContain("https://account.live.com/consent/Manage for a personal one");
  });
});

describe("Confirm it's you with Microsoft", () => {
  it("counts as an approval, not a proven sign-in: Entra's ID tokens carry no auth_time", async () => {
    expect(claimsOf((await sign(ADA)).id_token!)).not.toHaveProperty("auth_time");
    expect(provesSignIn(microsoft())).toBe(false);
    const { userId } = await linkedUser(stack.db(), "microsoft-entra-id", await sign(`${randomUUID()}@example.com`));
    expect(await reverificationFactor(userId)).toMatchObject({
      kind: "provider-approval",
      providers: [expect.objectContaining({ id: "microsoft-entra-id" })],
    });
  });
});
