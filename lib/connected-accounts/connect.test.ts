import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { findProvider, getConfiguredProviders } from "../providers";
import { connectAuthorizationParams, parseRequestedScopes } from "./connect";
import { createLinkedAccount } from "./record-sign-in";

const db = getDb();
afterAll(() => db.$disconnect());
const DRIVE = "https://www.googleapis.com/auth/drive.readonly";
const provider = (id: string) => findProvider(getConfiguredProviders(), id)!;

async function userWith(providerId: string, account?: { refresh_token?: string; scope: string }) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  if (account) {
    await createLinkedAccount(db, {
      userId: user.id,
      type: "oauth",
      provider: providerId,
      providerAccountId: randomUUID(),
      access_token: "a",
      ...account,
    });
  }
  return user.id;
}

describe("connectAuthorizationParams (real PostgreSQL)", () => {
  it("Google with a stored refresh token: only the new scopes, incremental, no consent screen", async () => {
    const userId = await userWith("google", { refresh_token: "r", scope: "openid email profile" });
    const params = await connectAuthorizationParams(userId, provider("google"), [DRIVE]);
    expect(params).toEqual({
      access_type: "offline",
      include_granted_scopes: "true",
      scope: ["email", DRIVE, "openid", "profile"].join(" "),
    });
  });

  it("Google without a refresh token (or never linked): asks for consent to get one", async () => {
    const linkedWithout = await userWith("google", { scope: "openid email profile" });
    expect(await connectAuthorizationParams(linkedWithout, provider("google"), [])).toMatchObject({
      prompt: "consent",
    });
    const notLinked = await userWith("google");
    expect(await connectAuthorizationParams(notLinked, provider("google"), [])).toMatchObject({ prompt: "consent" });
  });

  it("GitHub has no incremental authorization: every granted scope is asked again, no Google parameters", async () => {
    const userId = await userWith("github", { scope: "read:user user:email repo" });
    const params = await connectAuthorizationParams(userId, provider("github"), ["gist"]);
    expect(params).toEqual({ scope: ["gist", "read:user", "repo", "user:email"].join(" ") });
  });
});

describe("parseRequestedScopes", () => {
  it("accepts scope tokens and refuses junk", () => {
    expect(parseRequestedScopes(`openid  ${DRIVE}`)).toEqual({ ok: true, scopes: ["openid", DRIVE] });
    expect(parseRequestedScopes(null)).toEqual({ ok: true, scopes: [] });
    expect(parseRequestedScopes('a"b').ok).toBe(false);
    expect(parseRequestedScopes("x".repeat(2001)).ok).toBe(false);
    expect(parseRequestedScopes(Array.from({ length: 31 }, (_, i) => `s${i}`).join(" ")).ok).toBe(false);
  });
});
