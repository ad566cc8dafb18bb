import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { listConnectedAccounts } from "./list";
import { createLinkedAccount, recordSignIn } from "./record-sign-in";
import { openTokenColumn } from "./sealed-tokens";

const db = getDb();
afterAll(() => db.$disconnect());

async function newUser() {
  return db.user.create({ data: { email: `${randomUUID()}@example.com` } });
}

describe("account token persistence (real PostgreSQL)", () => {
  it("stores only ciphertext: a raw SQL read shows no usable token", async () => {
    const user = await newUser();
    const key = { provider: "google", providerAccountId: randomUUID() };
    await createLinkedAccount(db, {
      ...key,
      userId: user.id,
      type: "oidc",
      access_token: "ya29.plain-access",
      refresh_token: "1//plain-refresh",
      id_token: "eyJplain.id.token",
      expires_at: 2_000_000_000,
      scope: "openid email profile",
      token_type: "bearer",
    });

    const [raw] = await db.$queryRaw<{ access_token: string; refresh_token: string; id_token: string }[]>`
      SELECT access_token, refresh_token, id_token FROM "Account" WHERE "providerAccountId" = ${key.providerAccountId}`;
    expect(raw).toBeDefined();
    for (const value of Object.values(raw!)) {
      expect(value).toMatch(/^enc:v2:test:/);
      expect(value).not.toMatch(/plain/);
    }
    expect(openTokenColumn({ ...key, userId: user.id }, "refresh_token", raw!.refresh_token)).toBe("1//plain-refresh");
  });

  it("on a later sign-in: new tokens, old refresh token kept when none is sent, scopes unioned, active again", async () => {
    const user = await newUser();
    const key = { provider: "google", providerAccountId: randomUUID() };
    await createLinkedAccount(db, {
      ...key,
      userId: user.id,
      type: "oidc",
      access_token: "first-access",
      refresh_token: "the-refresh",
      expires_at: 1_900_000_000,
      scope: "openid email",
    });
    await db.account.updateMany({ where: key, data: { status: "needs_reconnect" } });

    await recordSignIn(
      db,
      {
        ...key,
        access_token: "second-access",
        expires_in: 3599,
        scope: "openid https://www.googleapis.com/auth/drive.readonly",
      },
      { email: "new@example.com", displayName: "New Name" },
    );

    const row = await db.account.findFirstOrThrow({ where: key });
    expect(openTokenColumn(row, "access_token", row.access_token)).toBe("second-access");
    expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe("the-refresh");
    expect(row.grantedScopes).toEqual(["email", "https://www.googleapis.com/auth/drive.readonly", "openid"]);
    expect(row.status).toBe("active");
    expect(row.version).toBe(1);
    expect(row.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(row).toMatchObject({ email: "new@example.com", displayName: "New Name" });
  });

  it("stores Google's long names for email and profile as the app's own, once, and records no change for them", async () => {
    const user = await newUser();
    const key = { provider: "google", providerAccountId: randomUUID() };
    const G = "https://www.googleapis.com/auth/";
    await createLinkedAccount(db, {
      ...key,
      userId: user.id,
      type: "oidc",
      access_token: "first-access",
      scope: `openid ${G}userinfo.email ${G}userinfo.profile`,
    });
    const created = await db.account.findFirstOrThrow({ where: key });
    expect(created.grantedScopes).toEqual(["email", "openid", "profile"]);

    await recordSignIn(db, { ...key, access_token: "second-access", scope: `openid email ${G}userinfo.profile` }, {});
    const row = await db.account.findFirstOrThrow({ where: key });
    expect(row.grantedScopes).toEqual(["email", "openid", "profile"]);
    const events = await db.connectionEvent.findMany({ where: { accountId: row.id }, select: { type: true } });
    expect(events.map((event) => event.type)).toEqual(["connected_account.linked"]);
  });

  it("a ciphertext moved to another account's row does not decrypt", async () => {
    const user = await newUser();
    const a = { provider: "github", providerAccountId: randomUUID() };
    const b = { provider: "github", providerAccountId: randomUUID() };
    for (const key of [a, b]) {
      await createLinkedAccount(db, {
        ...key,
        userId: user.id,
        type: "oauth",
        access_token: `token-of-${key.providerAccountId}`,
      });
    }
    const rowA = await db.account.findFirstOrThrow({ where: a });
    expect(() => openTokenColumn({ ...b, userId: user.id }, "access_token", rowA.access_token)).toThrow(
      /does not decrypt/,
    );
  });

  it("lists and gets accounts without secrets, and never another user's", async () => {
    const owner = await newUser();
    const other = await newUser();
    const key = { provider: "github", providerAccountId: randomUUID() };
    await createLinkedAccount(db, {
      ...key,
      userId: owner.id,
      type: "oauth",
      access_token: "gho_secret",
      scope: "read:user",
    });

    const [summary] = await listConnectedAccounts(owner.id);
    expect(summary).toMatchObject({
      provider: "github",
      providerAccountId: key.providerAccountId,
      grantedScopes: ["read:user"],
    });
    expect(summary).toMatchObject({ status: "active", canRefresh: false, canSignIn: true, accessTokenExpiresAt: null });
    expect(JSON.stringify(summary)).not.toContain("gho_secret");
    expect(JSON.stringify(summary)).not.toContain("enc:");

    expect(await listConnectedAccounts(other.id)).toEqual([]);
  });
});
