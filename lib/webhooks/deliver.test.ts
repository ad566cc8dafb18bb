// Outbound webhooks against a real receiver on 127.0.0.1: Standard Webhooks signatures (checked with
// the package's own verify), retries with the same webhook-id and body, a receiver that is down,
// answers 500, hangs or redirects, the attempt cap, concurrent deliverers, and PostgreSQL restarted
// mid-delivery. It delivers every due webhook of the database, so it has a database of its own.
import { execFile, spawn } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

// The cron route's module reaches Auth.js (next-auth needs Next's runtime), which it never calls.
vi.mock("../auth/require-user", () => ({ requireUser: vi.fn(), signedInUser: vi.fn() }));
import { Webhook } from "standardwebhooks";
import { freePort } from "../../scripts/lib/free-port";
import { linkedUser } from "../../scripts/lib/linked-account";
import { loggedRecords } from "../../test/vitest/capture-logs";
import { ownDatabaseAndSandboxForThisFile } from "../../test/vitest/own-database";
import { changeWithEvents, type NewConnectionEvent } from "../connected-accounts";
import { requeueWebhooks, undeliveredWebhooks } from "./admin";
import { deliverWebhooks, type DeliverOptions } from "./deliver";
import { generateWebhookSecret } from "./secret";

// lib/env reads the environment once, on first use: the receiver's address is fixed before that,
// and the receiver listens on it (or not: "down") as each test needs.
const receiverPort = await freePort();
const otherHostPort = await freePort();
const SECRET = generateWebhookSecret();
process.env.WEBHOOK_URL = `http://127.0.0.1:${receiverPort}/hooks?key=receiver-path-key`;
process.env.WEBHOOK_SECRET = SECRET;
const CRON_SECRET = "cron-secret-of-the-webhooks-test";
process.env.CRON_SECRET = CRON_SECRET;

const stack = ownDatabaseAndSandboxForThisFile("webhooks");
const db = () => stack.db();

type Received = { id: string; headers: IncomingHttpHeaders; body: string; path: string };
type Behaviour = "ok" | "error_500" | "hang" | "redirect" | { slowMs: number };

/** An HTTP server that records every request, then answers as `behave(webhookId)` says. */
function receiver(port: number) {
  const received: Received[] = [];
  let behave: (id: string) => Behaviour = () => "ok";
  let server: Server | undefined;
  return {
    received,
    ids: () => received.map((request) => request.id),
    behave(next: Behaviour | ((id: string) => Behaviour)) {
      behave = typeof next === "function" ? next : () => next;
    },
    async start() {
      if (server) return;
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          const id = String(request.headers["webhook-id"] ?? "");
          received.push({ id, headers: request.headers, body: Buffer.concat(chunks).toString(), path: request.url! });
          const behaviour = behave(id);
          if (behaviour === "hang") return;
          if (behaviour === "error_500") return void response.writeHead(500).end("oops");
          if (behaviour === "redirect") {
            return void response.writeHead(307, { location: `http://localhost:${otherHostPort}/stolen` }).end();
          }
          const delay = typeof behaviour === "object" ? behaviour.slowMs : 0;
          setTimeout(() => response.writeHead(204).end(), delay);
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise((resolve) => closing.close(resolve));
    },
  };
}

const hooks = receiver(receiverPort);
const otherHost = receiver(otherHostPort);
afterAll(async () => {
  await hooks.stop();
  await otherHost.stop();
});
beforeEach(async () => {
  await db().connectionEvent.deleteMany(); // and their deliveries
  hooks.received.length = 0;
  otherHost.received.length = 0;
  hooks.behave("ok");
  await hooks.start();
  await otherHost.start();
});

// Tokens a body must never carry: stored (encrypted) on the account the events are about.
const TOKENS = {
  access_token: "ya29.KNOWN-ACCESS-TOKEN-webhooks-test",
  refresh_token: "1//KNOWN-REFRESH-TOKEN-webhooks-test",
  id_token: "eyJKNOWN.ID-TOKEN.webhooks-test",
};

/** An account with known tokens, and `count` events about it (via changeWithEvents, as the app writes them). */
async function events(count: number, make?: (index: number) => Partial<NewConnectionEvent>): Promise<string[]> {
  const { userId, providerAccountId } = await linkedUser(db(), "google", {
    ...TOKENS,
    expires_in: 3600,
    scope: "openid email",
  });
  const account = await db().account.findFirstOrThrow({ where: { providerAccountId } });
  // Linking wrote a linked event (and its webhook): not one of the events under test.
  await db().connectionEvent.deleteMany({ where: { accountId: account.id } });
  const made = Array.from({ length: count }, (_, index) => ({
    type: "connected_account.needs_reconnect" as const,
    userId,
    accountId: account.id,
    provider: "google",
    reason: "invalid_grant",
    ...make?.(index),
  }));
  await changeWithEvents(async (_tx, record) => made.forEach(record));
  const rows = await db().connectionEvent.findMany({ where: { accountId: account.id }, orderBy: { seq: "asc" } });
  return rows.map((row) => row.id);
}

const deliver = (options: DeliverOptions = {}) => deliverWebhooks({ timeoutMs: 2_000, ...options });
const delivery = (eventId: string) => db().webhookDelivery.findUniqueOrThrow({ where: { eventId } });
/** Makes pending deliveries due now, instead of waiting out the backoff. */
const makeDue = () => db().$executeRaw`UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() WHERE status = 'pending'`;
const verify = (request: Received) =>
  new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);

describe("what is sent", () => {
  it("signed the Standard Webhooks way, one webhook per event, its body from the stored event, never a token", async () => {
    const [scopes, reconnect, refreshed] = await events(3, (index) =>
      index === 0
        ? {
            type: "connected_account.scopes_changed",
            reason: undefined,
            detail: { granted: ["https://www.googleapis.com/auth/drive.readonly"], removed: ["email"] },
          }
        : index === 2
          ? { type: "connected_account.refreshed", reason: undefined } // not sent by default
          : {},
    );
    expect(await db().webhookDelivery.count({ where: { eventId: refreshed! } })).toBe(0);

    expect(await deliver()).toEqual({ claimed: 2, delivered: 2, retrying: 0, failed: 0 });

    expect(hooks.ids().sort()).toEqual([scopes!, reconnect!].sort());
    const stored = await db().connectionEvent.findMany({ where: { id: { in: [scopes!, reconnect!] } } });
    for (const request of hooks.received) {
      const event = stored.find((row) => row.id === request.id)!;
      expect(request.path).toBe("/hooks?key=receiver-path-key");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(Number(request.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(10);
      // The package's own verification: a receiver written from its README accepts it.
      expect(verify(request)).toEqual(JSON.parse(request.body));
      expect(() => new Webhook(generateWebhookSecret()).verify(request.body, request.headers as never)).toThrow(
        /No matching signature/,
      );
      const body = JSON.parse(request.body);
      expect(body.timestamp).toBe(event.createdAt.toISOString());
      expect(body.type).toBe(event.type);
      for (const secret of [...Object.values(TOKENS), SECRET.slice(6)]) {
        expect(request.body).not.toContain(secret);
        expect(JSON.stringify(request.headers)).not.toContain(secret);
      }
    }
    const bodies = Object.fromEntries(hooks.received.map((request) => [request.id, JSON.parse(request.body)]));
    expect(bodies[scopes!]).toEqual({
      type: "connected_account.scopes_changed",
      timestamp: expect.any(String),
      data: {
        accountId: stored[0]!.accountId,
        userId: stored[0]!.userId,
        provider: "google",
        scopes: { granted: ["https://www.googleapis.com/auth/drive.readonly"], removed: ["email"] },
      },
    });
    expect(bodies[reconnect!].data).toEqual({
      accountId: stored[0]!.accountId,
      userId: stored[0]!.userId,
      provider: "google",
      reason: "invalid_grant",
    });

    expect(await delivery(reconnect!)).toMatchObject({
      status: "delivered",
      attempts: 1,
      leaseUntil: null,
      lastError: null,
      deliveredAt: expect.any(Date),
    });
    expect(await deliver()).toEqual({ claimed: 0, delivered: 0, retrying: 0, failed: 0 }); // nothing twice
    expect(await undeliveredWebhooks()).toEqual([]);
  });
});

describe("retries", () => {
  it("a receiver that is down, then back: retried after 5 s, delivered once it is up, with the same webhook-id", async () => {
    const [id] = await events(1);
    await hooks.stop();

    expect(await deliver()).toEqual({ claimed: 1, delivered: 0, retrying: 1, failed: 0 });
    const waiting = await delivery(id!);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, leaseUntil: null });
    // Refused, or the pooled connection to the receiver that just stopped was closed under the request.
    expect(waiting.lastError).toMatch(/ECONNREFUSED|other side closed/);
    const wait = waiting.nextAttemptAt.getTime() - waiting.lastAttemptAt!.getTime();
    expect(wait).toBeGreaterThanOrEqual(4_900);
    expect(wait).toBeLessThanOrEqual(6_000);
    expect(await deliver()).toMatchObject({ claimed: 0 }); // not due yet
    expect(await undeliveredWebhooks()).toEqual([
      expect.objectContaining({ eventId: id, status: "pending", attempts: 1, lastError: waiting.lastError }),
    ]);

    await hooks.start();
    await makeDue();
    expect(await deliver()).toEqual({ claimed: 1, delivered: 1, retrying: 0, failed: 0 });
    expect(hooks.ids()).toEqual([id]);
    expect(await delivery(id!)).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
  });

  it("a receiver answering 500: the backoff grows (5 s, then 5 min); every attempt has the same id and body", async () => {
    const [id] = await events(1);
    hooks.behave("error_500");

    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    expect((await delivery(id!)).lastError).toBe("HTTP 500");
    await makeDue();
    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    const second = await delivery(id!);
    expect(second.nextAttemptAt.getTime() - second.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(299_000);

    hooks.behave("ok");
    await makeDue();
    expect(await deliver()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(hooks.ids()).toEqual([id, id, id]);
    expect(new Set(hooks.received.map((request) => request.body)).size).toBe(1);
    for (const request of hooks.received) expect(verify(request)).toBeTruthy();
    expect(await delivery(id!)).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("a receiver that hangs: that delivery times out and is retried; the others are not held up", async () => {
    const ids = await events(5);
    const hanging = ids[0]!;
    hooks.behave((id) => (id === hanging ? "hang" : "ok"));

    const started = Date.now();
    const delivering = deliver({ concurrency: 2, timeoutMs: 3_000 });
    await expect
      .poll(() => hooks.ids().filter((id) => id !== hanging).length, { timeout: 2_500, interval: 20 })
      .toBe(4);
    expect(Date.now() - started).toBeLessThan(2_500); // before the hanging call's timeout
    expect(await delivering).toEqual({ claimed: 5, delivered: 4, retrying: 1, failed: 0 });
    expect(await delivery(hanging)).toMatchObject({ status: "pending", lastError: "no answer within 3000 ms" });

    hooks.behave("ok");
    await makeDue();
    expect(await deliver()).toMatchObject({ claimed: 1, delivered: 1 });
  });

  it("a receiver redirecting to another host: not followed (that host gets nothing), and retried", async () => {
    const [id] = await events(1);
    hooks.behave("redirect");

    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    expect((await delivery(id!)).lastError).toMatch(/^HTTP 307: a redirect, not followed/);
    expect(otherHost.received).toEqual([]);

    hooks.behave("ok");
    await makeDue();
    expect(await deliver()).toMatchObject({ delivered: 1 });
    expect(otherHost.received).toEqual([]);
  });

  it("after the last attempt: failed, kept, logged at error level, listed, and sent again once requeued", async () => {
    const [id] = await events(1);
    hooks.behave("error_500");
    for (let attempt = 1; attempt < 3; attempt += 1) {
      expect(await deliver({ maxAttempts: 3 })).toMatchObject({ claimed: 1, retrying: 1, failed: 0 });
      await makeDue();
    }
    expect(await deliver({ maxAttempts: 3 })).toEqual({ claimed: 1, delivered: 0, retrying: 0, failed: 1 });
    expect(loggedRecords().filter((record) => record.level === "error")).toEqual([
      {
        level: "error",
        text: expect.stringMatching(new RegExp(`^error webhook.gave_up .*${id}.*attempt 3: HTTP 500`)),
      },
    ]);
    expect(await delivery(id!)).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "HTTP 500",
      leaseUntil: null,
    });
    await makeDue();
    expect(await deliver({ maxAttempts: 3 })).toMatchObject({ claimed: 0 }); // failed is never retried by itself
    expect(await undeliveredWebhooks()).toEqual([
      expect.objectContaining({ eventId: id, status: "failed", attempts: 3, nextAttemptAt: null }),
    ]);

    hooks.behave("ok");
    expect(await requeueWebhooks("all-failed")).toEqual([id]);
    expect(await requeueWebhooks({ eventId: id! })).toEqual([id]); // pending: still requeueable
    expect(await deliver()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await requeueWebhooks({ eventId: id! })).toEqual([]); // delivered: left alone
    expect(hooks.ids()).toEqual([id, id, id, id]);
  });
});

describe("where they are sent from", () => {
  it("the cron route sends due webhooks after the sweep, and answers with both counts", async () => {
    const { cronSweep } = await import("../../app/api/cron/sweep/cron-sweep");
    const [id] = await events(1);
    const response = await cronSweep(
      new Request("http://localhost/api/cron/sweep", { headers: { authorization: `Bearer ${CRON_SECRET}` } }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({
      claimed: 0,
      refreshed: 0,
      webhooks: { claimed: 1, delivered: 1, retrying: 0, failed: 0 },
    });
    expect(hooks.ids()).toEqual([id]);
  });

  it("npm run worker sends them, says where (the host only), and stops on SIGTERM", async () => {
    const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toContain("worker: sending webhooks to");
      expect(output).toContain(`worker: sending webhooks to 127.0.0.1:${receiverPort} (`);
      expect(output).not.toContain("receiver-path-key");
      const [id] = await events(1); // picked up at its next look, within 5 s
      await expect.poll(() => hooks.ids(), { timeout: 10_000, interval: 100 }).toEqual([id]);
      await expect.poll(async () => (await delivery(id!)).status, { timeout: 5_000 }).toBe("delivered");
      worker.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      worker.kill("SIGKILL");
    }
  }, 60_000);

  it("npm run webhooks lists what is not delivered; -- retry requeues it", async () => {
    const [failed, pending] = await events(2);
    await db().webhookDelivery.update({
      where: { eventId: failed },
      data: { status: "failed", attempts: 8, lastError: "HTTP 500" },
    });
    await db().webhookDelivery.update({
      where: { eventId: pending },
      data: { attempts: 1, lastError: "no answer within 10000 ms", nextAttemptAt: new Date(Date.now() + 60_000) },
    });
    const run = async (...args: string[]) =>
      (
        await promisify(execFile)(
          process.execPath,
          ["--import", "tsx", "--conditions=react-server", "scripts/webhooks.ts", ...args],
          { env: process.env },
        )
      ).stdout;

    const listed = (await run()).trim().split("\n");
    expect(listed).toEqual([
      expect.stringMatching(
        new RegExp(`^failed  ${failed}  connected_account.needs_reconnect  attempts 8  not retried .*  HTTP 500$`),
      ),
      expect.stringMatching(
        new RegExp(`^pending  ${pending}  .*  attempts 1  next 20\\d\\d-.*  no answer within 10000 ms$`),
      ),
    ]);
    expect(await run("retry", "--all-failed")).toMatch(/requeued 1/);
    expect(await delivery(failed!)).toMatchObject({ status: "pending", attempts: 0 });
    await expect(run("retry", "evt_unknown")).rejects.toThrow(/no undelivered webhook for event evt_unknown/);
    expect(await deliver()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await run()).toMatch(new RegExp(`^pending  ${pending}`));
  }, 120_000); // five runs of the script, each a fresh tsx start
});

describe("several deliverers, and database faults", () => {
  it("two deliverers at once send each webhook once", async () => {
    const ids = await events(30);
    hooks.behave({ slowMs: 30 });

    const reports = await Promise.all([deliver({ concurrency: 4 }), deliver({ concurrency: 4 })]);

    expect(reports.reduce((sum, report) => sum + report.claimed, 0)).toBe(30);
    expect(reports.reduce((sum, report) => sum + report.delivered, 0)).toBe(30);
    expect(reports.every((report) => report.claimed > 0)).toBe(true); // both took part
    expect(hooks.ids().sort()).toEqual([...ids].sort());
  });

  it("PostgreSQL restarted mid-delivery: the successes are recorded once it is back", async () => {
    const ids = await events(5);
    hooks.behave({ slowMs: 1_500 });

    const delivering = deliver();
    await expect.poll(() => hooks.received.length, { timeout: 10_000, interval: 20 }).toBe(5);
    await stack.database().restart();

    expect(await delivering).toEqual({ claimed: 5, delivered: 5, retrying: 0, failed: 0 });
    expect(hooks.ids().sort()).toEqual([...ids].sort());
    expect(await db().webhookDelivery.count({ where: { status: "delivered" } })).toBe(5);
  }, 60_000);

  it("PostgreSQL down too long to record the successes: sent again when the lease ends, with the same id and body", async () => {
    const ids = await events(5);
    hooks.behave({ slowMs: 1_000 });
    const options = { leaseSeconds: 8, recordRetryMs: 1_000 };

    const delivering = deliver(options);
    await expect.poll(() => hooks.received.length, { timeout: 10_000, interval: 20 }).toBe(5);
    const down = stack.database().restart(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
    expect(await delivering).toEqual({ claimed: 5, delivered: 0, retrying: 5, failed: 0 });
    await down;

    // Claimed until the lease ends, then sent again.
    hooks.behave("ok");
    expect(await deliver(options)).toMatchObject({ claimed: 0 });
    await expect
      .poll(
        async () => {
          await deliver(options);
          return db().webhookDelivery.count({ where: { status: "delivered" } });
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(5);
    expect(hooks.ids().sort()).toEqual([...ids, ...ids].sort()); // each twice: at least once, never lost
    for (const id of ids) {
      const [first, again] = hooks.received.filter((request) => request.id === id);
      expect(again!.body).toBe(first!.body);
      expect(verify(again!)).toBeTruthy();
    }
    expect(await delivery(ids[0]!)).toMatchObject({ status: "delivered", attempts: 2 });
  }, 60_000);

  it("webhooks that failed while the receiver was down survive a database restart", async () => {
    await hooks.stop();
    const ids = await events(3);
    expect(await deliver()).toMatchObject({ claimed: 3, retrying: 3 });
    await stack.database().restart();
    await hooks.start();
    await expect
      .poll(
        async () => {
          await makeDue();
          await deliver();
          return db().webhookDelivery.count({ where: { status: "delivered" } });
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(3);
    expect(hooks.ids().sort()).toEqual([...ids].sort());
  }, 60_000);
});
