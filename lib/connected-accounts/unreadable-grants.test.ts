import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { getDb } from "../db";
import { generateKeyEntry, parseKeyring, type TokenKeyring } from "../token-keyring";
import { currentKeyring, sealTokenColumns } from "./sealed-tokens";
import { accountsWithUnreadableGrants } from "./unreadable-grants";

afterAll(() => getDb().$disconnect());

/** An account whose refresh token is sealed with `ring`. */
async function accountSealedWith(ring: TokenKeyring): Promise<string> {
  const db = getDb();
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  const key = { userId: user.id, provider: "google", providerAccountId: randomUUID() };
  const sealed = sealTokenColumns(key, { refresh_token: `rt-${randomUUID()}` }, ring);
  const account = await db.account.create({ data: { ...key, type: "oidc", ...sealed } });
  return account.id;
}

it("finds the accounts whose grant was sealed with a key the keyring does not list, and only those", async () => {
  const oldEntry = generateKeyEntry("kold");
  const readable = await accountSealedWith(currentKeyring());
  // Sealed with a key this server no longer has: as if .env.local had been deleted since.
  const lost = await accountSealedWith(parseKeyring(oldEntry));

  const found = await accountsWithUnreadableGrants(process.env.DATABASE_URL!, currentKeyring());
  expect(found).toContain(lost);
  expect(found).not.toContain(readable);

  // The old key listed after the current one: everything opens again.
  const both = parseKeyring(`${process.env.TOKEN_ENCRYPTION_KEY},${oldEntry}`);
  expect(await accountsWithUnreadableGrants(process.env.DATABASE_URL!, both)).not.toContain(lost);
});
