import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../test/vitest/software-authenticator";
import type { SignedInUser } from "../auth/require-user";
import { isRecentlyReverified } from "../auth/recent-sign-in";
import { confirmsWithProvider, reverificationFactor, signInConfirms } from "../auth/reverification";
import { getDb } from "../db";
import { addPasskey, confirmationOptions, confirmWithPasskey, registrationOptions, removePasskey } from "./passkeys";
import { relyingParty } from "./relying-party";

const ORIGIN = "https://accounts.example.test";
const RP_ID = "accounts.example.test";
process.env.AUTH_URL = `${ORIGIN}/`;

const db = getDb();
afterAll(() => db.$disconnect());

async function newUser(): Promise<SignedInUser> {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Ada" } });
  const session = await db.session.create({
    data: {
      sessionToken: randomUUID(),
      userId: user.id,
      expires: new Date(Date.now() + 3_600_000),
      verifiedAt: new Date(Date.now() - 3_600_000),
    },
  });
  return { id: user.id, name: user.name, email: user.email, image: null, sessionId: session.id };
}

async function withPasskey(user: SignedInUser, authenticator = new SoftwareAuthenticator()) {
  const started = await registrationOptions(user);
  if (!started.ok) throw new Error(started.error.detail);
  const added = await addPasskey(
    user,
    "Laptop",
    authenticator.register({ challenge: started.options.challenge, origin: ORIGIN, rpId: RP_ID }),
  );
  expect(added).toMatchObject({ ok: true, credentialID: authenticator.credentialId });
  return authenticator;
}

async function confirmChallenge(user: SignedInUser): Promise<string> {
  const started = await confirmationOptions(user);
  if (!started.ok) throw new Error(started.error.detail);
  return started.options.challenge;
}

async function securityEvents(user: SignedInUser) {
  return db.connectionEvent.findMany({
    where: { userId: user.id },
    orderBy: { seq: "asc" },
    select: { type: true, accountId: true, provider: true, reason: true },
  });
}

describe("the relying party, from AUTH_URL", () => {
  it("is AUTH_URL's host and origin, on https or http://localhost only", () => {
    expect(relyingParty("https://accounts.example.com/app")).toMatchObject({
      id: "accounts.example.com",
      origin: "https://accounts.example.com",
    });
    expect(relyingParty("http://localhost:3000")).toMatchObject({ id: "localhost", origin: "http://localhost:3000" });
    expect(relyingParty("http://accounts.example.com")).toBeUndefined();
    expect(relyingParty("http://127.0.0.1:3000")).toBeUndefined();
    expect(relyingParty("https://127.0.0.1")).toBeUndefined();
    expect(relyingParty("")).toBeUndefined();
  });
});

describe("adding a passkey", () => {
  let user: SignedInUser;
  beforeEach(async () => {
    user = await newUser();
  });

  it("stores it in Auth.js's shape, with user verification required, and records passkey_added", async () => {
    const started = await registrationOptions(user);
    expect(started.ok && started.options.authenticatorSelection?.userVerification).toBe("required");
    const authenticator = new SoftwareAuthenticator();
    expect(
      await addPasskey(
        user,
        "Laptop",
        authenticator.register({ challenge: started.ok ? started.options.challenge : "", origin: ORIGIN, rpId: RP_ID }),
      ),
    ).toMatchObject({ ok: true });
    expect(await db.authenticator.findUnique({ where: { credentialID: authenticator.credentialId } })).toMatchObject({
      userId: user.id,
      providerAccountId: authenticator.credentialId,
      counter: 0,
      credentialDeviceType: "singleDevice",
      credentialBackedUp: false,
      transports: "internal",
      name: "Laptop",
    });
    expect(await securityEvents(user)).toEqual([
      { type: "security.passkey_added", accountId: authenticator.credentialId, provider: "passkey", reason: null },
    ]);
  });

  it("refuses an answer from another origin or RP ID, without user verification, or to a used challenge", async () => {
    const cases = [
      { origin: "https://evil.example.test", rpId: RP_ID, flags: {} },
      { origin: ORIGIN, rpId: "evil.example.test", flags: {} },
      { origin: ORIGIN, rpId: RP_ID, flags: { userVerified: false } },
    ];
    for (const { origin, rpId, flags } of cases) {
      const started = await registrationOptions(user);
      const answer = new SoftwareAuthenticator().register(
        { challenge: started.ok ? started.options.challenge : "", origin, rpId },
        flags,
      );
      expect(await addPasskey(user, "x", answer)).toMatchObject({ ok: false, error: { code: "not_verified" } });
    }
    // The challenge went with the first answer, even a refused one: a second answer finds none.
    const started = await registrationOptions(user);
    const challenge = started.ok ? started.options.challenge : "";
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(
      user,
      "x",
      new SoftwareAuthenticator().register({ challenge, origin: ORIGIN, rpId: RP_ID }, { userVerified: false }),
    );
    expect(
      await addPasskey(user, "x", authenticator.register({ challenge, origin: ORIGIN, rpId: RP_ID })),
    ).toMatchObject({ ok: false, error: { code: "challenge_expired" } });
    expect(await db.authenticator.count({ where: { userId: user.id } })).toBe(0);
  });

  it("binds the challenge to the session that asked for it, and lets it expire", async () => {
    const started = await registrationOptions(user);
    const challenge = started.ok ? started.options.challenge : "";
    const sameUserOtherSession = { ...user, sessionId: (await newUser()).sessionId };
    const answer = () => new SoftwareAuthenticator().register({ challenge, origin: ORIGIN, rpId: RP_ID });
    expect(await addPasskey(sameUserOtherSession, "x", answer())).toMatchObject({
      ok: false,
      error: { code: "challenge_expired" },
    });
    await db.$executeRaw`UPDATE "PasskeyChallenge" SET "expiresAt" = now() - interval '1 second' WHERE "sessionId" = ${user.sessionId}`;
    expect(await addPasskey(user, "x", answer())).toMatchObject({ ok: false, error: { code: "challenge_expired" } });
  });

  it("refuses a credential already stored for someone else", async () => {
    const authenticator = await withPasskey(await newUser());
    const started = await registrationOptions(user);
    const answer = authenticator.register({
      challenge: started.ok ? started.options.challenge : "",
      origin: ORIGIN,
      rpId: RP_ID,
    });
    expect(await addPasskey(user, "x", answer)).toMatchObject({ ok: false, error: { code: "already_added" } });
  });
});

describe("confirming with a passkey", () => {
  let user: SignedInUser;
  let authenticator: SoftwareAuthenticator;
  beforeEach(async () => {
    user = await newUser();
    authenticator = await withPasskey(user);
  });

  it("verifies the session, moves the counter on, and records reverified with the factor", async () => {
    expect(await isRecentlyReverified(user.sessionId)).toBe(false);
    const challenge = await confirmChallenge(user);
    expect(await confirmWithPasskey(user, authenticator.assert({ challenge, origin: ORIGIN, rpId: RP_ID }))).toEqual({
      ok: true,
    });
    expect(await isRecentlyReverified(user.sessionId)).toBe(true);
    const stored = await db.authenticator.findUniqueOrThrow({ where: { credentialID: authenticator.credentialId } });
    expect(stored.counter).toBe(1);
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
    expect((await securityEvents(user)).at(-1)).toEqual({
      type: "security.reverified",
      accountId: authenticator.credentialId,
      provider: "passkey",
      reason: "passkey",
    });
  });

  it("refuses the same answer twice (the challenge is single-use)", async () => {
    const answer = authenticator.assert({ challenge: await confirmChallenge(user), origin: ORIGIN, rpId: RP_ID });
    expect(await confirmWithPasskey(user, answer)).toEqual({ ok: true });
    await db.$executeRaw`UPDATE "Session" SET "verifiedAt" = now() - interval '1 hour' WHERE id = ${user.sessionId}`;
    expect(await confirmWithPasskey(user, answer)).toMatchObject({ ok: false, error: { code: "challenge_expired" } });
    expect(await isRecentlyReverified(user.sessionId)).toBe(false);
  });

  it("refuses another user's passkey, and an unknown one", async () => {
    const other = await newUser();
    const othersKey = await withPasskey(other);
    const challenge = await confirmChallenge(user);
    expect(await confirmWithPasskey(user, othersKey.assert({ challenge, origin: ORIGIN, rpId: RP_ID }))).toMatchObject({
      ok: false,
      error: { code: "not_yours" },
    });
    const stranger = new SoftwareAuthenticator();
    const next = await confirmChallenge(user);
    expect(
      await confirmWithPasskey(user, stranger.assert({ challenge: next, origin: ORIGIN, rpId: RP_ID })),
    ).toMatchObject({
      ok: false,
      error: { code: "not_yours" },
    });
    expect(await isRecentlyReverified(user.sessionId)).toBe(false);
  });

  it("refuses an answer without user verification, for another origin, or signed by another key", async () => {
    const forged = authenticator.clone(50);
    Object.assign(forged, { privateKey: new SoftwareAuthenticator()["privateKey" as never] });
    const answers = [
      (challenge: string) => authenticator.assert({ challenge, origin: ORIGIN, rpId: RP_ID }, { userVerified: false }),
      (challenge: string) => authenticator.assert({ challenge, origin: "http://localhost:3000", rpId: RP_ID }),
      (challenge: string) => forged.assert({ challenge, origin: ORIGIN, rpId: RP_ID }),
    ];
    for (const answer of answers) {
      expect(await confirmWithPasskey(user, answer(await confirmChallenge(user)))).toMatchObject({
        ok: false,
        error: { code: "not_verified" },
      });
    }
    expect(await isRecentlyReverified(user.sessionId)).toBe(false);
  });

  it("refuses a clone whose counter went backwards, keeps the stored counter, and records the refusal", async () => {
    for (let use = 0; use < 3; use += 1) {
      const challenge = await confirmChallenge(user);
      expect(await confirmWithPasskey(user, authenticator.assert({ challenge, origin: ORIGIN, rpId: RP_ID }))).toEqual({
        ok: true,
      });
    }
    await db.$executeRaw`UPDATE "Session" SET "verifiedAt" = now() - interval '1 hour' WHERE id = ${user.sessionId}`;
    const clone = authenticator.clone(1);
    const challenge = await confirmChallenge(user);
    expect(await confirmWithPasskey(user, clone.assert({ challenge, origin: ORIGIN, rpId: RP_ID }))).toMatchObject({
      ok: false,
      error: { code: "counter_regressed" },
    });
    // Equal is as bad as lower: a copy that reports 3 again, as the original did last.
    const equal = authenticator.clone(2);
    const again = await confirmChallenge(user);
    expect(
      await confirmWithPasskey(user, equal.assert({ challenge: again, origin: ORIGIN, rpId: RP_ID })),
    ).toMatchObject({
      ok: false,
      error: { code: "counter_regressed" },
    });
    expect(await isRecentlyReverified(user.sessionId)).toBe(false);
    expect(
      (await db.authenticator.findUniqueOrThrow({ where: { credentialID: authenticator.credentialId } })).counter,
    ).toBe(3);
    expect((await securityEvents(user)).filter(({ type }) => type === "security.passkey_refused")).toHaveLength(2);
  });

  it("accepts a synced passkey that always reports 0", async () => {
    const synced = await withPasskey(await newUser().then((fresh) => (user = fresh)));
    for (let use = 0; use < 2; use += 1) {
      synced.counter = -1; // assert() counts one up: 0 every time
      const challenge = await confirmChallenge(user);
      expect(await confirmWithPasskey(user, synced.assert({ challenge, origin: ORIGIN, rpId: RP_ID }))).toEqual({
        ok: true,
      });
    }
  });
});

describe("the factor Confirm it's you asks for", () => {
  it("is the passkey once there is one, and a provider is then refused", async () => {
    const user = await newUser();
    await db.account.create({
      data: { userId: user.id, type: "oidc", provider: "google", providerAccountId: randomUUID() },
    });
    await db.account.create({
      data: { userId: user.id, type: "oauth", provider: "github", providerAccountId: randomUUID() },
    });
    const before = await reverificationFactor(user.id);
    expect(before.kind).toBe("provider-sign-in");
    expect(confirmsWithProvider(before, "google")).toBe(true);
    expect(confirmsWithProvider(before, "github")).toBe(false);

    expect(signInConfirms(before, { protocol: "oidc" })).toBe(true);
    expect(signInConfirms(before, { protocol: "oauth2" })).toBe(false);

    await withPasskey(user);
    const after = await reverificationFactor(user.id);
    expect(after).toEqual({ kind: "passkey", passkeys: 1 });
    expect(confirmsWithProvider(after, "google")).toBe(false);
    expect(signInConfirms(after, { protocol: "oidc" })).toBe(false);
  });

  it("is GitHub's approval only for a user with nothing stronger", async () => {
    const user = await newUser();
    await db.account.create({
      data: { userId: user.id, type: "oauth", provider: "github", providerAccountId: randomUUID() },
    });
    const factor = await reverificationFactor(user.id);
    expect(factor.kind).toBe("provider-approval");
    expect(confirmsWithProvider(factor, "github")).toBe(true);
    expect(signInConfirms(factor, { protocol: "oauth2" })).toBe(true);
  });
});

describe("removing a passkey", () => {
  it("removes only the user's own, and records passkey_removed", async () => {
    const [user, other] = [await newUser(), await newUser()];
    const mine = await withPasskey(user);
    const theirs = await withPasskey(other);
    expect(await removePasskey(user, theirs.credentialId)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await removePasskey(user, mine.credentialId)).toEqual({ ok: true });
    expect(
      await db.authenticator.count({ where: { credentialID: { in: [mine.credentialId, theirs.credentialId] } } }),
    ).toBe(1);
    expect((await securityEvents(user)).at(-1)).toMatchObject({
      type: "security.passkey_removed",
      accountId: mine.credentialId,
    });
  });
});
