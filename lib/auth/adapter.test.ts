import { randomUUID } from "node:crypto";
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
    await db.session.create({ data: { sessionToken: live, userId: user.id, expires: new Date(Date.now() + 60_000) } });
    await db.session.create({ data: { sessionToken: expired, userId: user.id, expires: new Date(Date.now() - 1_000) } });
    expect(await adapter.getSessionAndUser!(live)).toMatchObject({ user: { id: user.id } });
    expect(await adapter.getSessionAndUser!(expired)).toBeNull();
    expect(await db.session.count({ where: { sessionToken: expired } })).toBe(0);
  });

  it("stores a new user's email only as a verified address, and two first sign-ins with it make one user", async () => {
    const email = `${randomUUID()}@example.com`;
    const [first, second] = await Promise.all([
      adapter.createUser!({ id: "ignored", name: "A", email, emailVerified: null, image: null }),
      adapter.createUser!({ id: "ignored", name: "A", email, emailVerified: null, image: null }),
    ]);
    expect(first.id).toBe(second.id);
    expect(first.emailVerified).toBeInstanceOf(Date);
    const anonymous = await adapter.createUser!({ id: "ignored", name: "B", email: null as unknown as string, emailVerified: null, image: null });
    expect(anonymous).toMatchObject({ email: null, emailVerified: null });
  });
});
