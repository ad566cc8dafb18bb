import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { riscControl } from "../../../../sandbox/risc-client";
import { authorizeGithub, authorizeGoogle } from "../../../../sandbox/test-client";
import { googleSubject } from "../../../../sandbox/users";
import { sandboxAndDatabaseForThisFile } from "../../../../test/vitest/sandbox-and-database";
import { linkedUser } from "../../../../scripts/lib/linked-account";
import { accountSnapshot } from "../../../../test/vitest/account-snapshot";
import { receiveSecurityEvent } from "./receiver";

const stack = sandboxAndDatabaseForThisFile();
const risc = () => riscControl(stack.sandbox().url);

function post(token: string): Promise<Response> {
  return receiveSecurityEvent(
    new Request("http://127.0.0.1/api/risc", {
      method: "POST",
      headers: { "Content-Type": "application/secevent+jwt" },
      body: token,
    }),
  );
}

/** A user with a Google account (its real sandbox subject and tokens) and `sessions` sessions. */
async function signedInGoogleUser(prefix: string, sessions = 2) {
  const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
  const tokens = await authorizeGoogle(stack.sandbox().url, { email });
  const db = stack.db();
  const user = await db.user.create({ data: { email } });
  const sub = googleSubject(email);
  await linkedUser(db, "google", tokens, user.id, sub);
  const github = await authorizeGithub(stack.sandbox().url, { email });
  await linkedUser(db, "github", github, user.id, String(Math.floor(Math.random() * 1e9)));
  for (let i = 0; i < sessions; i += 1) {
    await db.session.create({
      data: { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 86_400_000) },
    });
  }
  const google = await db.account.findFirstOrThrow({ where: { provider: "google", providerAccountId: sub } });
  return { email, sub, userId: user.id, googleAccountId: google.id, refreshToken: tokens.refresh_token! };
}

const snapshot = (userId: string) => accountSnapshot(stack.db(), userId);

async function statuses(userId: string) {
  const accounts = await stack.db().account.findMany({ where: { userId }, orderBy: { provider: "asc" } });
  return Object.fromEntries(accounts.map((account) => [account.provider, account.status]));
}

/** Pushes a signed token and checks it was applied within a second. */
async function accepted(token: string) {
  const started = performance.now();
  const response = await post(token);
  expect(response.status).toBe(202);
  expect(performance.now() - started).toBeLessThan(1000);
}

beforeAll(async () => {
  // The first token reads the discovery document and the keys; later ones measure the work alone.
  const response = await post(await risc().sign({ event: "verification", extra: { state: "warm-up" } }));
  expect(response.status).toBe(202);
});

describe("RISC receiver: accepted tokens", () => {
  it("token-revoked by prefix marks the account holding that refresh token, and nothing else", async () => {
    const target = await signedInGoogleUser("risc-prefix");
    const bystander = await signedInGoogleUser("risc-prefix-other");
    const before = await snapshot(bystander.userId);
    await accepted(
      await risc().sign({
        event: "token-revoked",
        extra: { token_identifier_alg: "prefix", token: target.refreshToken.slice(0, 16) },
      }),
    );
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
    const { events, sessions } = await snapshot(target.userId);
    expect(events.slice(-2)).toEqual([
      { type: "connected_account.revoked", provider: "google", reason: "Google says the refresh token was revoked" },
      { type: "connected_account.needs_reconnect", provider: "google", reason: "revoked at Google" },
    ]);
    expect(sessions).toBe(2);
    expect(await snapshot(bystander.userId)).toEqual(before);
  });

  it("token-revoked by double SHA-512 hash", async () => {
    const target = await signedInGoogleUser("risc-hash");
    const sha512 = (data: string | Buffer) => createHash("sha512").update(data).digest();
    const token = sha512(sha512(target.refreshToken)).toString("base64");
    await accepted(
      await risc().sign({
        event: "token-revoked",
        extra: { token_identifier_alg: "hash_base64_sha512_sha512", token },
      }),
    );
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
  });

  it("tokens-revoked marks the subject's Google account; GitHub and sessions stay", async () => {
    const target = await signedInGoogleUser("risc-tokens");
    await accepted(await risc().sign({ event: "tokens-revoked", email: target.email }));
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
    expect((await snapshot(target.userId)).sessions).toBe(2);
  });

  it("sessions-revoked signs the user out everywhere; accounts stay active", async () => {
    const target = await signedInGoogleUser("risc-sessions");
    const bystander = await signedInGoogleUser("risc-sessions-other");
    await accepted(await risc().sign({ event: "sessions-revoked", email: target.email }));
    expect(await snapshot(target.userId)).toMatchObject({ sessions: 0 });
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "active" });
    expect((await snapshot(bystander.userId)).sessions).toBe(2);
  });

  it("account-disabled (hijacking) signs the user out everywhere and marks the Google account", async () => {
    const target = await signedInGoogleUser("risc-hijack");
    await accepted(
      await risc().sign({ event: "account-disabled", email: target.email, extra: { reason: "hijacking" } }),
    );
    const after = await snapshot(target.userId);
    expect(after.sessions).toBe(0);
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
    expect(after.events.slice(-1)[0]).toMatchObject({ type: "connected_account.needs_reconnect" });
    expect(after.events.slice(-2)[0]).toMatchObject({ reason: "Google disabled the account (hijacking)" });
  });

  it("account-disabled for another reason marks the account and keeps the sessions", async () => {
    const target = await signedInGoogleUser("risc-bulk");
    await accepted(
      await risc().sign({ event: "account-disabled", email: target.email, extra: { reason: "bulk-account" } }),
    );
    expect(await snapshot(target.userId)).toMatchObject({ sessions: 2 });
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
  });

  it("account-purged marks the account; account-enabled changes nothing", async () => {
    const target = await signedInGoogleUser("risc-purged");
    const before = await snapshot(target.userId);
    await accepted(await risc().sign({ event: "account-enabled", email: target.email }));
    expect(await snapshot(target.userId)).toEqual(before);
    await accepted(await risc().sign({ event: "account-purged", email: target.email }));
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
  });
});

describe("RISC receiver: refused tokens change nothing", () => {
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const now = () => Math.floor(Date.now() / 1000);

  async function refusedWith(token: string, err: string, userId: string) {
    const before = await snapshot(userId);
    // Google's receipts only: other test files write GitHub's to the same database meanwhile.
    const googleReceipts = () => stack.db().receivedNotice.count({ where: { source: "google-risc" } });
    const receipts = await googleReceipts();
    const response = await post(token);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ err, description: expect.any(String) });
    expect(await snapshot(userId)).toEqual(before);
    expect(await googleReceipts()).toBe(receipts);
  }

  it("forged: signed with another key under the sandbox's key id", async () => {
    const target = await signedInGoogleUser("risc-forged");
    const genuine = await risc().sign({ event: "tokens-revoked", email: target.email });
    const [header, payload] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const protectedHeader = JSON.parse(Buffer.from(header!, "base64url").toString()) as { alg: string; kid: string };
    const forged = await new SignJWT(claims).setProtectedHeader(protectedHeader).sign(otherKey);
    await refusedWith(forged, "invalid_key", target.userId);
    // The genuine signature on other claims fails too.
    const swapped = [
      header,
      Buffer.from(JSON.stringify({ ...claims, jti: "x" })).toString("base64url"),
      genuine.split(".")[2],
    ];
    await refusedWith(swapped.join("."), "invalid_key", target.userId);
  });

  it("too old, and issued in the future", async () => {
    const target = await signedInGoogleUser("risc-old");
    const old = await risc().sign({
      event: "tokens-revoked",
      email: target.email,
      claims: { iat: now() - 2 * 86_400 },
    });
    await refusedWith(old, "invalid_request", target.userId);
    const future = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { iat: now() + 3600 } });
    await refusedWith(future, "invalid_request", target.userId);
    const noIat = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { iat: null } });
    await refusedWith(noIat, "invalid_request", target.userId);
    const expired = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { exp: now() - 600 } });
    await refusedWith(expired, "invalid_request", target.userId);
  });

  it("replayed: a jti seen before is acknowledged and changes nothing", async () => {
    const target = await signedInGoogleUser("risc-replay");
    const token = await risc().sign({ event: "account-disabled", email: target.email, extra: { reason: "hijacking" } });
    await accepted(token);
    // The user signs in again and reconnects; the same token comes again.
    await stack.db().account.updateMany({ where: { userId: target.userId }, data: { status: "active" } });
    await stack.db().session.create({
      data: { sessionToken: randomUUID(), userId: target.userId, expires: new Date(Date.now() + 86_400_000) },
    });
    const before = await snapshot(target.userId);
    const replay = await post(token);
    expect(replay.status).toBe(202);
    expect(await snapshot(target.userId)).toEqual(before);
  });

  it("forgets a jti 48 hours after it came (twice the age at which its token is refused), on the next token", async () => {
    const db = stack.db();
    const [old, young] = [`old-${randomUUID()}`, `young-${randomUUID()}`];
    await db.$executeRaw`INSERT INTO "ReceivedNotice" (source, id, "receivedAt") VALUES
      ('google-risc', ${old}, now() - interval '49 hours'), ('google-risc', ${young}, now() - interval '47 hours')`;
    await accepted(await risc().sign({ event: "verification", extra: { state: "purge" } }));
    const left = await db.receivedNotice.findMany({ where: { id: { in: [old, young] } }, select: { id: true } });
    expect(left).toEqual([{ id: young }]);
  });

  it("wrong audience, wrong issuer", async () => {
    const target = await signedInGoogleUser("risc-aud");
    const aud = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { aud: "another-client" } });
    await refusedWith(aud, "invalid_audience", target.userId);
    const noAud = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { aud: null } });
    await refusedWith(noAud, "invalid_audience", target.userId);
    const iss = await risc().sign({
      event: "tokens-revoked",
      email: target.email,
      claims: { iss: "https://accounts.example.com/" },
    });
    await refusedWith(iss, "invalid_issuer", target.userId);
  });

  it("alg none, garbage, no jti, no events", async () => {
    const target = await signedInGoogleUser("risc-none");
    const genuine = await risc().sign({ event: "tokens-revoked", email: target.email });
    const claims = JSON.parse(Buffer.from(genuine.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    await refusedWith(new UnsecuredJWT(claims).encode(), "invalid_request", target.userId);
    // alg "none" with the genuine signature left on.
    const none = Buffer.from(JSON.stringify({ alg: "none", kid: "sandbox-risc" })).toString("base64url");
    await refusedWith([none, ...genuine.split(".").slice(1)].join("."), "invalid_request", target.userId);
    // HS256 with the public key's text as the secret (algorithm confusion).
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: "sandbox-risc" })
      .sign(new TextEncoder().encode("sandbox-risc"));
    await refusedWith(hs, "invalid_request", target.userId);
    for (const garbage of ["garbage", "a.b.c", "{}", "eyJ.eyJ.", "x".repeat(20_000), ""])
      await refusedWith(garbage, "invalid_request", target.userId);
    const noJti = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { jti: null } });
    await refusedWith(noJti, "invalid_request", target.userId);
    const noEvents = await risc().sign({ event: "tokens-revoked", email: target.email, claims: { events: null } });
    await refusedWith(noEvents, "invalid_request", target.userId);
  });
});

describe("the sandbox's Manage third-party access page", () => {
  let receiver: Server | undefined;
  afterAll(async () => {
    await risc().clear();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("Remove access revokes the grant and pushes tokens-revoked to the registered receiver", async () => {
    // The app's route, served over HTTP as Google would reach it.
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await post(Buffer.concat(chunks).toString());
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
    await risc().register(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/risc`);

    const target = await signedInGoogleUser("risc-page");
    const base = stack.sandbox().url;
    const page = await (await fetch(`${base}/google/permissions?email=${encodeURIComponent(target.email)}`)).text();
    expect(page).toContain("Manage third-party access");
    expect(page).toContain("sandbox-google");
    expect(page).toContain('name="viewport" content="width=device-width, initial-scale=1"');

    const removed = await fetch(`${base}/google/permissions/remove`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: target.email, client_id: "sandbox-google" }),
      redirect: "manual",
    });
    expect(removed.status).toBe(302);
    expect(removed.headers.get("location")).toContain("notified=1%2F1");
    expect(await statuses(target.userId)).toEqual({ github: "active", google: "needs_reconnect" });
    const after = await (await fetch(new URL(removed.headers.get("location")!, base))).text();
    expect(after).toContain("No third-party apps have access");
  });
});
