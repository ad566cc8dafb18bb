// Faults during a token refresh: the provider down, failing mid-answer or slow; PostgreSQL
// restarted in the middle of a refresh storm; the process killed between the provider's answer
// and the commit. This file has its own PostgreSQL (it restarts it and locks a table) and sandbox.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle, type TokenAnswer } from "../../sandbox/test-client";
import { runTokenStorm, startStormWorker, stormOutcome, type StormOutcome } from "../../scripts/lib/token-storm";
import { expireAccessToken, linkedUser } from "../../scripts/lib/linked-account";
import { getAccessToken } from "./access-token";
import { REFRESH_LEASE_MS } from "./refresh";
import { openTokenColumn, sealTokenColumns } from "./sealed-tokens";
import { tokenColumns } from "./token-response";
import { storedRow } from "../../test/vitest/stored-row";
import { ownDatabaseAndSandboxForThisFile } from "../../test/vitest/own-database";

type Provider = "google" | "github";

const stack = ownDatabaseAndSandboxForThisFile("faults");

const authorize = (provider: Provider, email: string): Promise<TokenAnswer> =>
  provider === "google"
    ? authorizeGoogle(stack.sandbox().url, { email })
    : authorizeGithub(stack.sandbox().url, { email });

/** A user with an expired account of `provider`, and the row as stored before any fault. */
async function expiredAccount(provider: Provider, email: string) {
  const tokens = await authorize(provider, email);
  const { userId, providerAccountId } = await linkedUser(stack.db(), provider, tokens);
  await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, provider);
  const before = await storedRow(stack.db(), providerAccountId);
  return { tokens, userId, providerAccountId, before };
}

/** The types of the account's events, oldest first. */
async function eventTypes(accountId: string): Promise<string[]> {
  const events = await stack.db().connectionEvent.findMany({ where: { accountId }, orderBy: { seq: "asc" } });
  return events.map((event) => event.type);
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)),
  ]);
}

const refreshesSoFar = async (provider: Provider) => (await stack.control().refreshRequests())[provider];

/** Callers in this process, as a long-running server's requests would be. */
function inProcessCallers(userId: string, provider: Provider, callers: number): Promise<StormOutcome[]> {
  return Promise.all(Array.from({ length: callers }, () => stormOutcome(() => getAccessToken(userId, { provider }))));
}

/** Whether a refresh holds an unexpired lease on the account. */
async function leaseHeld(providerAccountId: string): Promise<boolean> {
  const [{ held }] = await stack.db().$queryRaw<[{ held: boolean }]>`
    SELECT coalesce(bool_or("refreshLeaseUntil" > now()), false) AS held FROM "Account" WHERE "providerAccountId" = ${providerAccountId}`;
  return held;
}

/** Sessions of the test database waiting for a lock (queried through the pool: in a transaction pg_stat_activity is a snapshot). */
async function lockWaiters(): Promise<number> {
  const [{ waiting }] = await stack.db().$queryRaw<[{ waiting: number }]>`
    SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
  return waiting;
}

const codes = (outcomes: StormOutcome[]) => [...new Set(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.code)))];

describe("the provider is down, fails mid-answer or is slow", () => {
  it("refuses connections: provider_unavailable at once, tokens untouched; works again when it is back", async () => {
    const { userId, providerAccountId, before } = await expiredAccount("google", "down@example.com");
    await stack.sandbox().close();
    try {
      const started = Date.now();
      const result = await getAccessToken(userId, { provider: "google" });
      expect(result).toMatchObject({ ok: false, error: { code: "provider_unavailable" } });
      expect(Date.now() - started).toBeLessThan(2_000);
      // The tokens and version as they were; only the failure is counted.
      expect(await storedRow(stack.db(), providerAccountId)).toEqual({ ...before, refreshFailures: 1 });
    } finally {
      await stack.sandbox().reopen();
    }
    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
    expect(await refreshesSoFar("google")).toBe(1); // the refused attempt never reached it
    expect(await eventTypes(before.id)).toEqual([
      "connected_account.linked",
      "connected_account.refresh_failed",
      "connected_account.refreshed",
      "connected_account.recovered",
    ]);
    expect(await storedRow(stack.db(), providerAccountId)).toMatchObject({ refreshFailures: 0 });
  });

  it("drops the connection while 100 callers in 4 processes wait for one refresh: all told to retry, nothing lost", async () => {
    const { userId, providerAccountId, before } = await expiredAccount("google", "drop@example.com");
    await stack.control().refreshMode("google", "slow", { delayMs: 1500 });
    const storm = runTokenStorm({ env: {}, userId, provider: "google", processes: 4, callersPerProcess: 25 });
    await waitFor("the refresh to reach the provider", async () => (await refreshesSoFar("google")) === 1);
    await stack.sandbox().close();
    const outcomes = await storm;
    await stack.sandbox().reopen();

    expect(outcomes).toHaveLength(100);
    expect(codes(outcomes)).toEqual(["provider_unavailable"]);
    expect(await storedRow(stack.db(), providerAccountId)).toEqual({ ...before, refreshFailures: 1 });
    expect(await eventTypes(before.id)).toEqual([
      "connected_account.linked",
      "connected_account.refresh_failed", // once, by the holder
    ]);

    await stack.control().refreshMode("google", "normal");
    const retried = await runTokenStorm({ env: {}, userId, provider: "google", processes: 2, callersPerProcess: 25 });
    expect(codes(retried)).toEqual(["ok"]);
    expect(new Set(retried.map((outcome) => outcome.ok && outcome.token)).size).toBe(1);
    expect(await refreshesSoFar("google")).toBe(2);
  }, 60_000);

  it("answers after 2 s: 100 callers in 4 processes wait for the one refresh and all get its token", async () => {
    const { userId } = await expiredAccount("google", "slow@example.com");
    await stack.control().refreshMode("google", "slow", { delayMs: 2000 });
    const outcomes = await runTokenStorm({ env: {}, userId, provider: "google", processes: 4, callersPerProcess: 25 });

    expect(codes(outcomes)).toEqual(["ok"]);
    expect(new Set(outcomes.map((outcome) => outcome.ok && outcome.token)).size).toBe(1);
    expect(Math.min(...outcomes.map((outcome) => outcome.ms))).toBeGreaterThanOrEqual(1_900);
    expect(await refreshesSoFar("google")).toBe(1);
  }, 60_000);
});

describe("PostgreSQL restarts during a refresh storm", () => {
  const CALLERS_PER_PROCESS = 25;
  it.each(["google", "github"] as const)(
    "%s: the provider's answer is stored once the database is back; nothing lost, no wrong needs_reconnect",
    async (provider) => {
      const { tokens, userId, providerAccountId, before } = await expiredAccount(
        provider,
        `restart-${provider}@example.com`,
      );
      await stack.control().refreshMode(provider, "slow", { delayMs: 1500 });
      const workers = [1, 2].map(() => startStormWorker({ env: {}, userId, provider, callers: CALLERS_PER_PROCESS }));
      await Promise.all(workers.map((worker) => worker.ready));
      for (const worker of workers) worker.go();
      // Restart once one process's refresh is at the provider (holding no connection) and the other
      // two poll its lease.
      const restarted = waitFor(
        "the refresh storm to be under way",
        async () => (await leaseHeld(providerAccountId)) && (await refreshesSoFar(provider)) === 1,
      )
        .then(() => new Promise((resolve) => setTimeout(resolve, 200))) // the others have read the row and poll
        .then(() => stack.database().restart());
      const outcomes = (
        await Promise.all([
          inProcessCallers(userId, provider, CALLERS_PER_PROCESS),
          ...workers.map((worker) => worker.result),
        ]).finally(() => restarted)
      ).flat();

      expect(outcomes).toHaveLength(3 * CALLERS_PER_PROCESS);
      // The process whose refresh reached the provider stores the answer when PostgreSQL is back, and
      // its callers get the new token. The waiting processes lost their poll of the lease and hear
      // provider_unavailable (try again); a caller whose own first read met the restart gets the
      // driver's error thrown, as any query would. Nobody gets reconnect_required.
      for (const code of codes(outcomes))
        expect(code).toMatch(/^ok$|^provider_unavailable$|^threw: .*(connection|shutting down|starting up)/i);
      const after = await storedRow(stack.db(), providerAccountId);
      const storedAccessToken = openTokenColumn(after, "access_token", after.access_token);
      expect(new Set(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.token] : [])))).toEqual(
        new Set([storedAccessToken]),
      );
      expect(after).toMatchObject({ status: "active", version: before.version + 1 });
      const storedRefreshToken = openTokenColumn(after, "refresh_token", after.refresh_token);
      if (provider === "google")
        expect(storedRefreshToken).toBe(tokens.refresh_token); // Google sends none on refresh
      else expect(storedRefreshToken).not.toBe(tokens.refresh_token); // the rotated one, kept
      await stack.control().refreshMode(provider, "normal");

      // The same Prisma pool, after the restart: the stored token is served without a refresh...
      expect(await getAccessToken(userId, { provider })).toMatchObject({ ok: true, accessToken: storedAccessToken });
      expect(await refreshesSoFar(provider)).toBe(1);
      // ...and the stored refresh token still works at the provider.
      await expireAccessToken(stack.db(), stack.sandbox().url, providerAccountId, provider);
      expect(await getAccessToken(userId, { provider })).toMatchObject({ ok: true });
      expect(await refreshesSoFar(provider)).toBe(2);
      // Every pool connection came back: the ones that died in a transaction are not still counted as lent.
      await expect(within(5_000, stack.db().$disconnect())).resolves.toBeUndefined();
    },
    60_000,
  );

  it("a newer grant stored while the database was away wins over the late answer", async () => {
    const { userId, providerAccountId } = await expiredAccount("github", "restart-resignin@example.com");
    await stack.control().refreshMode("github", "slow", { delayMs: 4000 });
    const refresh = getAccessToken(userId, { provider: "github" });
    await waitFor("the refresh to reach the provider", async () => (await refreshesSoFar("github")) === 1);
    await stack.database().restart();

    // The user signs in again while the late answer waits for the row: a new grant, written first.
    const holder = new pg.Client({ connectionString: stack.database().url });
    await holder.connect();
    const signedInAgain = await authorize("github", "restart-resignin@example.com");
    try {
      await holder.query(`BEGIN`);
      await holder.query(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1 FOR UPDATE`, [providerAccountId]);
      await waitFor("the late answer to wait for the row", async () => (await lockWaiters()) === 1);
      const sealed = sealTokenColumns({ userId, provider: "github", providerAccountId }, tokenColumns(signedInAgain));
      await holder.query(
        `UPDATE "Account" SET access_token = $1, refresh_token = $2, expires_at = $3, version = version + 1 WHERE "providerAccountId" = $4`,
        [sealed.access_token, sealed.refresh_token, sealed.expires_at, providerAccountId],
      );
    } finally {
      await holder.query("COMMIT");
      await holder.end();
    }

    expect(await refresh).toMatchObject({ ok: true, accessToken: signedInAgain.access_token });
    const row = await storedRow(stack.db(), providerAccountId);
    expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe(signedInAgain.refresh_token);
    expect(row.status).toBe("active");
  }, 60_000);
});

/**
 * A worker process that refreshes `userId`'s account, killed (SIGKILL) while the UPDATE that
 * writes the provider's answer waits for a lock: sent, not yet run. With `connectionDiesToo`, its
 * database connection is ended as well, as when the machine dies or the network goes: the write
 * never runs. Otherwise the server still runs it once the lock is free.
 */
async function killedWhileWriteWaits(
  provider: Provider,
  userId: string,
  providerAccountId: string,
  connectionDiesToo: boolean,
) {
  await stack.control().refreshMode(provider, "slow", { delayMs: 1000 });
  const worker = startStormWorker({ env: {}, userId, provider, callers: 1 });
  await worker.ready;
  // Once the worker has claimed the lease and is at the provider, holding SHARE on the table
  // parks the UPDATE that would write the provider's answer: the moment to kill it.
  const holder = new pg.Client({ connectionString: stack.database().url });
  await holder.connect();
  const waitingWrite = `FROM pg_locks WHERE relation = '"Account"'::regclass AND mode = 'RowExclusiveLock' AND NOT granted`;
  try {
    worker.go();
    await waitFor("the worker to claim and call the provider", async () => (await refreshesSoFar(provider)) === 1);
    expect(await leaseHeld(providerAccountId)).toBe(true);
    await holder.query(`BEGIN; LOCK TABLE "Account" IN SHARE MODE`);
    await waitFor("the worker's UPDATE to wait for the lock", async () => {
      const { rows } = await holder.query<{ waiting: number }>(`SELECT count(*)::int AS waiting ${waitingWrite}`);
      return rows[0]!.waiting === 1;
    });
    const exited = new Promise((resolve) => worker.process.once("exit", resolve));
    worker.process.kill("SIGKILL");
    await exited;
    await expect(worker.result).rejects.toThrow(/exited early/);
    if (connectionDiesToo) await holder.query(`SELECT pg_terminate_backend(pid) ${waitingWrite}`);
  } finally {
    await holder.query("COMMIT");
    await holder.end();
  }
  await stack.control().refreshMode(provider, "normal");
}

describe("the process dies between the provider's answer and the commit", () => {
  it.each(["google", "github"] as const)(
    "%s: with its connection, before the write ran: the old tokens stay, its lease expires, the next call shows what was lost",
    async (provider) => {
      const { tokens, userId, providerAccountId, before } = await expiredAccount(
        provider,
        `killed-${provider}@example.com`,
      );
      await killedWhileWriteWaits(provider, userId, providerAccountId, true);

      // The dead process's lease is still on the row: the next call waits for it to expire, no longer.
      expect(await leaseHeld(providerAccountId)).toBe(true);
      const started = Date.now();
      const next = await getAccessToken(userId, { provider });
      expect(Date.now() - started).toBeLessThan(REFRESH_LEASE_MS + 3_000);
      const row = await storedRow(stack.db(), providerAccountId);
      expect(row.version).toBe(before.version + 1); // the next call's write only: the killed process's never ran
      expect(row).toMatchObject({ refreshLeaseId: null, refreshLeaseUntil: null });
      if (provider === "google") {
        expect(next).toMatchObject({ ok: true });
        expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe(tokens.refresh_token);
        expect(row.status).toBe("active");
      } else {
        expect(next).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
        expect(row.status).toBe("needs_reconnect");
        expect(openTokenColumn(row, "refresh_token", row.refresh_token)).toBe(tokens.refresh_token); // the dead one, kept for the record
      }
      expect(await refreshesSoFar(provider)).toBe(2);
    },
    60_000,
  );

  it("github: with its write sent, the server still stores the answer, so the rotated token is kept", async () => {
    const { tokens, userId, providerAccountId, before } = await expiredAccount("github", "killed-sent@example.com");
    await killedWhileWriteWaits("github", userId, providerAccountId, false);

    await waitFor(
      "the sent write to run",
      async () => (await storedRow(stack.db(), providerAccountId)).version > before.version,
    );
    const row = await storedRow(stack.db(), providerAccountId);
    expect(row).toMatchObject({
      status: "active",
      version: before.version + 1,
      refreshLeaseId: null,
      refreshLeaseUntil: null,
    });
    expect(openTokenColumn(row, "refresh_token", row.refresh_token)).not.toBe(tokens.refresh_token);
    expect(await eventTypes(row.id)).toContain("connected_account.refreshed");
    const next = await getAccessToken(userId, { provider: "github" });
    expect(next).toMatchObject({ ok: true, accessToken: openTokenColumn(row, "access_token", row.access_token) });
    expect(await refreshesSoFar("github")).toBe(1);
  }, 60_000);

  it("a holder killed while the provider works: its lease expires and the next caller refreshes", async () => {
    const { userId, providerAccountId } = await expiredAccount("google", "killed-at-provider@example.com");
    await stack.control().refreshMode("google", "hang");
    const worker = startStormWorker({ env: {}, userId, provider: "google", callers: 1 });
    await worker.ready;
    worker.go();
    await waitFor("the worker to claim and call the provider", async () => (await refreshesSoFar("google")) === 1);
    const exited = new Promise((resolve) => worker.process.once("exit", resolve));
    worker.process.kill("SIGKILL");
    await exited;
    await stack.control().refreshMode("google", "normal");

    expect(await leaseHeld(providerAccountId)).toBe(true);
    const started = Date.now();
    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(REFRESH_LEASE_MS + 3_000);
    expect(await refreshesSoFar("google")).toBe(2);
    expect(await leaseHeld(providerAccountId)).toBe(false);
  }, 60_000);
});

describe("no connection is held while the provider works", () => {
  it("12 refreshes of different accounts at a 2 s provider: an unrelated query on the same pool of 10 is not starved", async () => {
    const accounts = await Promise.all(
      Array.from({ length: 12 }, (_, index) => expiredAccount("google", `starve-${index}@example.com`)),
    );
    await stack.control().reset();
    await stack.control().refreshMode("google", "slow", { delayMs: 2000 });
    const refreshes = Promise.all(
      accounts.map(({ userId }) => stormOutcome(() => getAccessToken(userId, { provider: "google" }))),
    );
    await waitFor("every refresh to be at the provider", async () => (await refreshesSoFar("google")) === 12);
    const started = Date.now();
    await stack.db().user.findFirst({ where: { id: accounts[0]!.userId } });
    expect(Date.now() - started).toBeLessThan(300);
    expect(codes(await refreshes)).toEqual(["ok"]);
    await stack.control().refreshMode("google", "normal");
  }, 60_000);

  it("refreshes' database work takes at most a quarter of the pool of 10: a third refresh waits its turn, a query does not", async () => {
    const accounts = await Promise.all(
      Array.from({ length: 3 }, (_, index) => expiredAccount("google", `turn-${index}@example.com`)),
    );
    await stack.control().reset();
    const holder = new pg.Client({ connectionString: stack.database().url });
    await holder.connect();
    const blocked = accounts.slice(0, 2);
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Account" WHERE "providerAccountId" = ANY($1) FOR UPDATE`, [
        blocked.map((account) => account.providerAccountId),
      ]);
      const first = blocked.map(({ userId }) => inProcessCallers(userId, "google", 1));
      await waitFor("both claims to wait for their rows", async () => (await lockWaiters()) === 2);
      const third = inProcessCallers(accounts[2]!.userId, "google", 1);
      let thirdSettled = false;
      void third.finally(() => (thirdSettled = true));

      const started = Date.now();
      await stack.db().user.findFirst({ where: { id: accounts[2]!.userId } });
      expect(Date.now() - started).toBeLessThan(300);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(thirdSettled).toBe(false);
      expect(await refreshesSoFar("google")).toBe(0);
      await holder.query("COMMIT");
      expect(codes((await Promise.all([...first, third])).flat())).toEqual(["ok"]);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    }
    expect(await refreshesSoFar("google")).toBe(3);
  }, 60_000);
});
