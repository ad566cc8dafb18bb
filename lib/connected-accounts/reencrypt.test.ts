import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db";
import { createLinkedAccount } from "./record-sign-in";
import { generateKeyEntry, parseKeyring } from "../token-keyring";
import { encryptToken } from "./token-crypto";

const db = getDb();
afterAll(() => db.$disconnect());

describe("reencryptAllTokens (real PostgreSQL)", () => {
  it("moves every token to the new first key and encrypts legacy plaintext; old keys can then go", async () => {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const key = { provider: "google", providerAccountId: randomUUID() };
    await createLinkedAccount(db, {
      ...key,
      userId: user.id,
      type: "oidc",
      access_token: "at-1",
      refresh_token: "rt-1",
    });
    const legacy = { provider: "github", providerAccountId: randomUUID() };
    await db.account.create({ data: { ...legacy, userId: user.id, type: "oauth", access_token: "gho_plaintext" } });
    const lost = { provider: "github", providerAccountId: randomUUID() };
    const lostRing = parseKeyring(generateKeyEntry("gone"));
    const lostRow = await db.account.create({
      data: {
        ...lost,
        userId: user.id,
        type: "oauth",
        access_token: encryptToken(lostRing, "t", `github:${lost.providerAccountId}:access_token`),
      },
    });

    const oldKey = process.env.TOKEN_ENCRYPTION_KEY!;
    const newEntry = generateKeyEntry("rotated");
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", `${newEntry},${oldKey}`);
    vi.resetModules(); // lib/env and the keyring cache the environment
    const rotated = await import("./reencrypt");
    const report = await rotated.reencryptAllTokens();
    expect(report.rewritten).toBeGreaterThanOrEqual(2);
    expect(report.plaintextEncrypted).toBeGreaterThanOrEqual(1);
    expect(report.undecryptable).toContain(lostRow.id); // its key is not listed: reported, left alone
    expect((await db.account.findUniqueOrThrow({ where: { id: lostRow.id } })).access_token).toMatch(/^enc:v2:gone:/);

    // Other test files share this database: look at this test's rows.
    const rows = await db.$queryRaw<{ access_token: string | null; refresh_token: string | null }[]>`
      SELECT access_token, refresh_token FROM "Account" WHERE "userId" = ${user.id} AND id <> ${lostRow.id}`;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const value of [row.access_token, row.refresh_token]) {
        if (value !== null) expect(value).toMatch(/^enc:v2:rotated:/);
      }
    }

    // With only the new key left, everything still decrypts.
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", newEntry);
    vi.resetModules();
    const { openTokenColumn } = await import("./sealed-tokens");
    const moved = await db.account.findFirstOrThrow({ where: key });
    expect(openTokenColumn(moved, "refresh_token", moved.refresh_token)).toBe("rt-1");
    const encryptedLegacy = await db.account.findFirstOrThrow({ where: legacy });
    expect(openTokenColumn(encryptedLegacy, "access_token", encryptedLegacy.access_token)).toBe("gho_plaintext");
    const again = await (await import("./reencrypt")).reencryptAllTokens();
    expect(again.undecryptable).toContain(lostRow.id);
    const untouched = await db.account.findFirstOrThrow({ where: key });
    expect(untouched.version).toBe(moved.version); // already on the current key: not rewritten
    vi.unstubAllEnvs();
  });

  it("never reports an all-clear for a row the current key cannot open, even when its key id looks current", async () => {
    // Two keys made under the same id (the id was once a date): the operator put the new one in place of the old.
    const sameId = "k20261123";
    const [before, after] = [generateKeyEntry(sameId), generateKeyEntry(sameId)];
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", before);
    vi.resetModules();
    const sealedBefore = await import("./record-sign-in");
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const key = { provider: "google", providerAccountId: randomUUID() };
    await sealedBefore.createLinkedAccount(db, {
      ...key,
      userId: user.id,
      type: "oidc",
      access_token: "at",
      refresh_token: "rt",
    });
    const row = await db.account.findFirstOrThrow({ where: key });

    vi.stubEnv("TOKEN_ENCRYPTION_KEY", after);
    vi.resetModules();
    const report = await (await import("./reencrypt")).reencryptAllTokens();
    expect(report.undecryptable).toContain(row.id);
    expect((await db.account.findUniqueOrThrow({ where: { id: row.id } })).version).toBe(row.version); // left untouched
    vi.unstubAllEnvs();
  });
});
