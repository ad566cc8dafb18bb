import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { createAdapter } from "./adapter";

const db = getDb();
const adapter = createAdapter(db);
afterAll(() => db.$disconnect());

describe("the Auth.js adapter (real PostgreSQL)", () => {
  it("reads an expired session as no session, and removes it", async () => {
    // Auth.js checks expiry when it serves a session, but not when it decides whether a callback links
    // to the signed-in user: there, an expired session would still have counted.
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const [live, expired] = [randomUUID(), randomUUID()];
    await adapter.createSession!({ sessionToken: live, userId: user.id, expires: new Date(Date.now() + 60_000) });
    await adapter.createSession!({ sessionToken: expired, userId: user.id, expires: new Date(Date.now() - 1_000) });
    expect(await adapter.getSessionAndUser!(live)).toMatchObject({ user: { id: user.id } });
    expect(await adapter.getSessionAndUser!(expired)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("stores a new user's email only as a verified address, and two first sign-ins with it make one user", async () => {
    const email = `${randomUUID()}@example.com`;
    const [first, second] = await Promise.all([
      adapter.createUser!({ id: "ignored", name: "A", email, emailVerified: null, image: null }),
      adapter.createUser!({ id: "ignored", name: "A", email, emailVerified: null, image: null }),
    ]);
    expect(first.id).toBe(second.id);
    expect(first.emailVerified).toBeInstanceOf(Date);
    const anonymous = await adapter.createUser!({
      id: "ignored",
      name: "B",
      email: null as unknown as string,
      emailVerified: null,
      image: null,
    });
    expect(anonymous).toMatchObject({ email: null, emailVerified: null });
  });
});

describe("session tokens at rest", () => {
  const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

  it("stores only the SHA-256 of the cookie, and a dumped row's token does not work as a cookie", async () => {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const cookie = randomUUID();
    const created = await adapter.createSession!({
      sessionToken: cookie,
      userId: user.id,
      expires: new Date(Date.now() + 60_000),
    });
    expect(created.sessionToken).toBe(cookie); // Auth.js sets the cookie from what createSession returns

    const [row] = await db.session.findMany({ where: { userId: user.id } });
    expect(row?.sessionToken).toBe(sha256(cookie));
    expect(await adapter.getSessionAndUser!(row!.sessionToken)).toBeNull();

    const found = await adapter.getSessionAndUser!(cookie);
    expect(found).toMatchObject({ user: { id: user.id }, session: { id: row!.id, sessionToken: cookie } });
    const later = new Date(Date.now() + 120_000);
    expect(await adapter.updateSession!({ sessionToken: cookie, expires: later })).toMatchObject({
      sessionToken: cookie,
      expires: later,
    });
    expect(await adapter.deleteSession!(cookie)).toMatchObject({ sessionToken: cookie });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("the migration hashes a stored cookie value as the adapter does, so existing sessions stay signed in", async () => {
    const migration = readFileSync(
      path.join(import.meta.dirname, "../../prisma/migrations/20261124120000_hash_session_tokens/migration.sql"),
      "utf8",
    );
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const cookie = randomUUID();
    // Inside a transaction that is rolled back: the migration rewrites every row of the shared test database.
    const migrated = await db
      .$transaction(async (tx) => {
        await tx.session.create({
          data: { sessionToken: cookie, userId: user.id, expires: new Date(Date.now() + 60_000) },
        });
        await tx.$executeRawUnsafe(migration);
        const row = await tx.session.findFirstOrThrow({ where: { userId: user.id } });
        throw Object.assign(new Error("roll back"), { row });
      })
      .catch((error: { row?: { sessionToken: string } }) => error.row);
    expect(migrated?.sessionToken).toBe(sha256(cookie));
  });
});

// The checks Auth.js's adapter test suite makes of the WebAuthn methods (getAuthenticator,
// createAuthenticator, listAuthenticatorsByUserId, updateAuthenticatorCounter), against our
// Authenticator table: a forker who turns on Auth.js's passkey sign-in gets these rows as they are.
describe("the Auth.js adapter's WebAuthn methods (the Authenticator table)", () => {
  async function userWithAccount() {
    const user = await adapter.createUser!({
      id: "ignored",
      name: "W",
      email: `${randomUUID()}@example.com`,
      emailVerified: null,
      image: null,
    });
    const providerAccountId = randomUUID();
    await adapter.linkAccount!({ userId: user.id, type: "webauthn", provider: "passkey", providerAccountId });
    return { user, providerAccountId };
  }

  function authenticatorFor(userId: string, providerAccountId: string) {
    return {
      userId,
      providerAccountId,
      credentialID: randomUUID(),
      credentialPublicKey: randomUUID(),
      counter: 1,
      credentialDeviceType: "singleDevice",
      credentialBackedUp: false,
      transports: "usb,ble",
    };
  }

  it("createAuthenticator stores what it is given, and getAuthenticator reads it back by credential ID", async () => {
    const { user, providerAccountId } = await userWithAccount();
    const data = authenticatorFor(user.id, providerAccountId);
    expect(await adapter.createAuthenticator!(data)).toMatchObject(data);
    expect(await adapter.getAuthenticator!(data.credentialID)).toMatchObject(data);
    expect(await adapter.getAuthenticator!(randomUUID())).toBeNull();
  });

  it("listAuthenticatorsByUserId lists a user's authenticators, and none for an unknown user", async () => {
    const { user, providerAccountId } = await userWithAccount();
    const first = authenticatorFor(user.id, providerAccountId);
    const second = { ...authenticatorFor(user.id, providerAccountId), transports: null };
    await adapter.createAuthenticator!(first);
    await adapter.createAuthenticator!(second as never);
    const listed = await adapter.listAuthenticatorsByUserId!(user.id);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining(first), expect.objectContaining(second)]));
    expect(await adapter.listAuthenticatorsByUserId!(randomUUID())).toEqual([]);
  });

  it("updateAuthenticatorCounter sets the counter, and fails for an unknown credential", async () => {
    const { user, providerAccountId } = await userWithAccount();
    const data = authenticatorFor(user.id, providerAccountId);
    await adapter.createAuthenticator!(data);
    expect(await adapter.updateAuthenticatorCounter!(data.credentialID, 7)).toMatchObject({ ...data, counter: 7 });
    expect(await adapter.getAuthenticator!(data.credentialID)).toMatchObject({ counter: 7 });
    await expect(adapter.updateAuthenticatorCounter!(randomUUID(), 1)).rejects.toThrow();
  });
});
