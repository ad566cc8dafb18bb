import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle } from "../../../../sandbox/test-client";
import { sandboxAndDatabaseForThisFile } from "../../../../test/vitest/sandbox-and-database";
import { linkedUser } from "../../../../scripts/lib/linked-account";
import { accountSnapshot } from "../../../../test/vitest/account-snapshot";
import { receiveGithubWebhook, validGithubSignature } from "./receiver";

const SECRET = "test-webhook-secret-0123456789abcdef";
// Read by lib/env on first use, which comes after this line.
process.env.GITHUB_WEBHOOK_SECRET = SECRET;

const stack = sandboxAndDatabaseForThisFile();

const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

function deliver(
  body: string,
  headers: { signature?: string | null; event?: string; delivery?: string | null } = {},
): Promise<Response> {
  const signature = headers.signature === undefined ? sign(body) : headers.signature;
  const delivery = headers.delivery === undefined ? randomUUID() : headers.delivery;
  return receiveGithubWebhook(
    new Request("http://127.0.0.1/api/github/webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": headers.event ?? "github_app_authorization",
        ...(signature === null ? {} : { "x-hub-signature-256": signature }),
        ...(delivery === null ? {} : { "x-github-delivery": delivery }),
      },
      body,
    }),
  );
}

const revoked = (senderId: number) =>
  JSON.stringify({ action: "revoked", sender: { login: "someone", id: senderId, type: "User" } });

/** A user with a GitHub account (id `githubId`) and a Google account. */
async function githubUser(prefix: string) {
  const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
  const githubId = Math.floor(Math.random() * 1e9);
  const db = stack.db();
  const user = await db.user.create({ data: { email } });
  const github = await authorizeGithub(stack.sandbox().url, { email });
  await linkedUser(db, "github", github, user.id, String(githubId));
  const google = await authorizeGoogle(stack.sandbox().url, { email });
  await linkedUser(db, "google", google, user.id);
  return { userId: user.id, githubId };
}

const snapshot = (userId: string) => accountSnapshot(stack.db(), userId);

const statuses = async (userId: string) =>
  Object.fromEntries((await snapshot(userId)).accounts.map((account) => [account.provider, account.status]));

describe("GitHub webhook receiver", () => {
  it("github_app_authorization revoked marks the sender's GitHub account, within a second", async () => {
    const { userId, githubId } = await githubUser("gh-revoked");
    const started = performance.now();
    const response = await deliver(revoked(githubId));
    expect(response.status).toBe(202);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await response.json()).toEqual({ status: "applied" });
    expect(await statuses(userId)).toEqual({ github: "needs_reconnect", google: "active" });
    expect((await snapshot(userId)).events.slice(-2)).toEqual([
      {
        type: "connected_account.revoked",
        provider: "github",
        reason: "the user revoked the app's authorization on GitHub",
      },
      { type: "connected_account.needs_reconnect", provider: "github", reason: "revoked at GitHub" },
    ]);
  });

  it("refuses a forged, missing or malformed signature with 401, and changes nothing", async () => {
    const { userId, githubId } = await githubUser("gh-forged");
    const before = await snapshot(userId);
    const body = revoked(githubId);
    const good = sign(body);
    for (const signature of [
      sign(body, "another-secret-0123456789abcdef"), // forged
      null, // missing
      "", // empty
      good.slice(0, -2), // wrong length
      `${good}00`, // wrong length
      good.replace("sha256=", "sha1="), // another algorithm
      good.toUpperCase(), // not the lower-case hex GitHub sends
      `sha256=${"z".repeat(64)}`, // not hex
      sign(`${body} `), // signs another body
    ]) {
      const response = await deliver(body, { signature });
      expect(response.status, String(signature)).toBe(401);
    }
    expect(await snapshot(userId)).toEqual(before);
  });

  it("a redelivered delivery id is acknowledged and changes nothing", async () => {
    const { userId, githubId } = await githubUser("gh-replay");
    const delivery = randomUUID();
    expect((await deliver(revoked(githubId), { delivery })).status).toBe(202);
    // The user reconnects; the same delivery comes again.
    await stack.db().account.updateMany({ where: { userId }, data: { status: "active" } });
    const before = await snapshot(userId);
    const replay = await deliver(revoked(githubId), { delivery });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ status: "duplicate" });
    expect(await snapshot(userId)).toEqual(before);
  });

  it("a replayed body changes nothing, whatever its delivery id, even after the user reconnected", async () => {
    const { userId, githubId } = await githubUser("gh-replay-body");
    const body = revoked(githubId);
    expect(await (await deliver(body)).json()).toEqual({ status: "applied" });
    await stack.db().account.updateMany({ where: { userId }, data: { status: "active" } });
    const before = await snapshot(userId);
    // Re-posted by whoever saw it once: fresh delivery ids, no delivery id, another event name.
    for (const delivery of [randomUUID(), randomUUID(), null]) {
      const replay = await deliver(body, { delivery });
      expect(replay.status).toBe(202);
      expect(await replay.json()).toEqual({ status: "duplicate" });
    }
    // Both at once: one applies, the other is the duplicate.
    const second = revoked(githubId).replace('"someone"', '"someone-renamed"');
    const outcomes = await Promise.all([deliver(second), deliver(second)]);
    expect(
      (await Promise.all(outcomes.map((response) => response.json()))).map((answer) => answer.status).sort(),
    ).toEqual(["applied", "duplicate"]);
    expect((await snapshot(userId)).events.length).toBe(before.events.length + 2);
  });

  it("forgets a body a year after it was first seen, on the next delivery; younger ones stay", async () => {
    const db = stack.db();
    const [old, young] = [`old-${randomUUID()}`, `young-${randomUUID()}`];
    await db.$executeRaw`INSERT INTO "ReceivedNotice" (source, id, "receivedAt") VALUES
      ('github-webhook', ${old}, now() - interval '366 days'), ('github-webhook', ${young}, now() - interval '364 days'),
      ('google-risc', ${old}, now() - interval '1 day')`;
    await deliver(JSON.stringify({ zen: "hi" }), { event: "ping" }); // not a notice: nothing purged
    expect(await db.receivedNotice.count({ where: { id: { in: [old, young] } } })).toBe(3);
    const { githubId } = await githubUser("gh-purge");
    expect(await (await deliver(revoked(githubId))).json()).toEqual({ status: "applied" });
    const left = await db.receivedNotice.findMany({
      where: { id: { in: [old, young] } },
      select: { source: true, id: true },
    });
    expect(left).toEqual(
      expect.arrayContaining([
        { source: "github-webhook", id: young },
        { source: "google-risc", id: old },
      ]),
    );
    expect(left).toHaveLength(2);
  });

  it("acts only on a body shaped as GitHub's revocation: another event's body relabelled is ignored", async () => {
    const { userId, githubId } = await githubUser("gh-relabel");
    const before = await snapshot(userId);
    // The event name is an unsigned header: a signed body of another event with action "revoked".
    const other = JSON.stringify({ action: "revoked", sender: { id: githubId }, repository: { id: 1 } });
    expect(await (await deliver(other)).json()).toEqual({ status: "ignored" });
    expect(await snapshot(userId)).toEqual(before);
  });

  it("ignores other events and actions", async () => {
    const { userId, githubId } = await githubUser("gh-other");
    const before = await snapshot(userId);
    expect((await deliver(JSON.stringify({ zen: "hi" }), { event: "ping" })).status).toBe(202);
    expect((await deliver(revoked(githubId), { event: "installation" })).status).toBe(202);
    const created = JSON.stringify({ action: "created", sender: { id: githubId } });
    expect(await (await deliver(created)).json()).toEqual({ status: "ignored" });
    expect((await deliver("not json")).status).toBe(400);
    expect(await snapshot(userId)).toEqual(before);
  });

  it("validGithubSignature compares equal-length buffers only", () => {
    const body = Buffer.from("{}");
    expect(validGithubSignature(body, sign("{}"), SECRET)).toBe(true);
    expect(validGithubSignature(body, "sha256=ab", SECRET)).toBe(false);
    expect(validGithubSignature(body, null, SECRET)).toBe(false);
  });
});
