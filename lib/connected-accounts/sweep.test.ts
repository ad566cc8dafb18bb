// The background sweep: which accounts it refreshes, its backoff, and its faults (a provider that
// hangs, answers 500 or invalid_grant; a sweeper killed mid-batch; PostgreSQL restarted mid-sweep).
// It sweeps every due account of the database, so it has a database of its own.
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeGithub, authorizeGoogle } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { ownDatabaseAndSandboxForThisFile } from "../../test/vitest/own-database";
import { REFRESH_LEASE_MS } from "./refresh";
import { openTokenColumn } from "./sealed-tokens";
import { sweepDueAccounts } from "./sweep";

const stack = ownDatabaseAndSandboxForThisFile("sweep");
// Each test starts with no accounts: what a sweep claims is what the test made due.
beforeEach(() => stack.db().account.deleteMany());
afterEach(() => vi.useRealTimers());
const MARGIN_SECONDS = 600;
const sweep = (options: { concurrency?: number } = {}) =>
  sweepDueAccounts({ marginSeconds: MARGIN_SECONDS, ...options });

const nowSeconds = () => Math.floor(Date.now() / 1000);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

let emails = 0;
/** A linked account of `provider` with real sandbox tokens, then `state` written over the row. */
async function account(
  provider: "google" | "github",
  state: { expiresIn?: number; lastUsedDaysAgo?: number | null; refreshedDaysAgo?: number; needsReconnect?: boolean },
) {
  const email = `sweep-${(emails += 1)}@example.com`;
  const tokens =
    provider === "google"
      ? await authorizeGoogle(stack.sandbox().url, { email })
      : await authorizeGithub(stack.sandbox().url, { email });
  const { providerAccountId } = await linkedUser(stack.db(), provider, tokens);
  const { expiresIn = 3600, lastUsedDaysAgo = 0, refreshedDaysAgo, needsReconnect = false } = state;
  const row = await stack.db().account.update({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    data: {
      expires_at: nowSeconds() + expiresIn,
      lastUsedAt: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
      ...(refreshedDaysAgo === undefined
        ? {}
        : { refreshedAt: daysAgo(refreshedDaysAgo), createdAt: daysAgo(refreshedDaysAgo) }),
      ...(needsReconnect ? { status: "needs_reconnect" as const } : {}),
    },
  });
  return { email, tokens, id: row.id };
}

const row = (id: string) => stack.db().account.findUniqueOrThrow({ where: { id } });
const refreshed = async (id: string) => (await row(id)).refreshedAt !== null;

describe("which accounts the sweep refreshes", () => {
  it("in use and expiring within the margin, or idle past the keep-alive; nothing else", async () => {
    const expiringInUse = await account("google", { expiresIn: 300 });
    const idleLong = await account("google", { expiresIn: 3000, lastUsedDaysAgo: null, refreshedDaysAgo: 40 });
    const validInUse = await account("google", { expiresIn: 3000 });
    const expiringNotInUse = await account("google", { expiresIn: 300, lastUsedDaysAgo: 30 });
    const expiringMarked = await account("github", { expiresIn: 300, needsReconnect: true });

    const report = await sweep();

    expect(report).toEqual({ claimed: 2, refreshed: 2, failed: 0, reconnect: 0 });
    expect(await stack.control().refreshRequests()).toEqual({ google: 2, github: 0 });
    expect(await refreshed(expiringInUse.id)).toBe(true);
    expect(await refreshed(idleLong.id)).toBe(true);
    for (const untouched of [validInUse, expiringNotInUse, expiringMarked])
      expect(await refreshed(untouched.id)).toBe(false);
    const renewed = await row(expiringInUse.id);
    expect(renewed.expires_at! - nowSeconds()).toBeGreaterThan(MARGIN_SECONDS);
    expect(renewed).toMatchObject({ refreshLeaseId: null, refreshLeaseUntil: null, status: "active" });

    // Renewed accounts are not due any more: a second sweep finds nothing.
    expect(await sweep()).toEqual({ claimed: 0, refreshed: 0, failed: 0, reconnect: 0 });
  });

  it("expires_at is compared on the clock that wrote it (the app's), an hour ahead of the database's or behind", async () => {
    for (const skewMs of [3600_000, -3600_000]) {
      await stack.db().account.deleteMany();
      const [{ now }] = await stack.db().$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(now.getTime() + skewMs);
      const expiring = await account("google", { expiresIn: 300 });
      const valid = await account("google", { expiresIn: 3000 });
      const report = await sweep();
      vi.useRealTimers();
      expect(report, `app clock ${skewMs} ms off`).toMatchObject({ claimed: 1, refreshed: 1 });
      expect(await refreshed(expiring.id)).toBe(true);
      expect(await refreshed(valid.id)).toBe(false);
    }
  });

  it("getAccessToken notes the use at most once a minute, which is what makes an account in use", async () => {
    const { getAccessToken } = await import("./access-token");
    const notUsed = await account("google", { expiresIn: 300, lastUsedDaysAgo: null });
    const { userId } = await row(notUsed.id);
    expect(await sweep()).toMatchObject({ claimed: 0 });

    expect(await getAccessToken(userId, { provider: "google" })).toMatchObject({ ok: true });
    const firstUse = (await row(notUsed.id)).lastUsedAt;
    expect(firstUse).not.toBeNull();
    await getAccessToken(userId, { provider: "google" });
    expect((await row(notUsed.id)).lastUsedAt).toEqual(firstUse); // within the minute: no second write

    expect(await sweep()).toMatchObject({ claimed: 1, refreshed: 1 });
  });
});

describe("faults during a sweep", () => {
  it("a provider answering 500: the account is held back 1, then 2 minutes; a success resets it", async () => {
    const failing = await account("google", { expiresIn: 300 });
    await stack.control().refreshMode("google", "error_500");

    expect(await sweep()).toEqual({ claimed: 1, refreshed: 0, failed: 1, reconnect: 0 });
    let held = await row(failing.id);
    expect(held.refreshFailures).toBe(1);
    expect(held.sweepRetryAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(held.sweepRetryAt!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(held).toMatchObject({ refreshLeaseId: null, status: "active" }); // lease released, tokens kept
    expect(await sweep()).toMatchObject({ claimed: 0 }); // held back

    await stack.db().account.update({ where: { id: failing.id }, data: { sweepRetryAt: new Date(Date.now() - 1000) } });
    expect(await sweep()).toMatchObject({ claimed: 1, failed: 1 });
    held = await row(failing.id);
    expect(held.refreshFailures).toBe(2);
    expect(held.sweepRetryAt!.getTime() - Date.now()).toBeGreaterThan(110_000);

    await stack.control().refreshMode("google", "normal");
    await stack.db().account.update({ where: { id: failing.id }, data: { sweepRetryAt: new Date(Date.now() - 1000) } });
    expect(await sweep()).toMatchObject({ claimed: 1, refreshed: 1 });
    expect(await row(failing.id)).toMatchObject({ refreshFailures: 0, sweepRetryAt: null });
  });

  it("invalid_grant marks that account needs_reconnect; the others are refreshed", async () => {
    const revoked = await account("google", { expiresIn: 300 });
    const fine = await account("github", { expiresIn: 300 });
    await stack.control().revoke({ provider: "google", email: revoked.email });

    expect(await sweep()).toEqual({ claimed: 2, refreshed: 1, failed: 0, reconnect: 1 });
    expect((await row(revoked.id)).status).toBe("needs_reconnect");
    expect(await refreshed(fine.id)).toBe(true);
    expect(await sweep()).toMatchObject({ claimed: 0 }); // marked accounts are not swept
  });

  it("a provider that hangs holds one slot: the other accounts are refreshed meanwhile", async () => {
    const hanging = await account("google", { expiresIn: 300 });
    const others = await Promise.all(Array.from({ length: 4 }, () => account("github", { expiresIn: 300 })));
    await stack.control().refreshMode("google", "hang");

    const started = Date.now();
    const sweeping = sweep({ concurrency: 2 });
    for (const other of others) {
      await expect.poll(() => refreshed(other.id), { timeout: 5_000, interval: 50 }).toBe(true);
    }
    expect(Date.now() - started).toBeLessThan(5_000); // well before the hanging call's 10 s timeout
    expect(await sweeping).toEqual({ claimed: 5, refreshed: 4, failed: 1, reconnect: 0 });
    expect(await row(hanging.id)).toMatchObject({ refreshFailures: 1, refreshLeaseId: null });
  }, 30_000);

  it("4 sweepers at once: every due account refreshed exactly once", async () => {
    // GitHub App refresh tokens rotate: a second refresh of the same grant would fail and show.
    const due = await Promise.all(Array.from({ length: 40 }, () => account("github", { expiresIn: 300 })));
    const reports = await Promise.all(Array.from({ length: 4 }, () => sweep({ concurrency: 5 })));

    expect(reports.reduce((sum, report) => sum + report.claimed, 0)).toBe(40);
    expect(reports.reduce((sum, report) => sum + report.refreshed, 0)).toBe(40);
    expect(await stack.control().refreshRequests()).toEqual({ google: 0, github: 40 });
    for (const each of due) {
      const stored = await row(each.id);
      expect(stored.status).toBe("active");
      expect(openTokenColumn(stored, "refresh_token", stored.refresh_token)).not.toBe(each.tokens.refresh_token);
    }
  }, 60_000);

  it("a sweeper killed mid-batch leaves its accounts claimed only until the lease expires", async () => {
    const due = await Promise.all(Array.from({ length: 3 }, () => account("github", { expiresIn: 300 })));
    await stack.control().refreshMode("github", "slow", { delayMs: 5_000 });
    const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
      env: process.env,
      stdio: "ignore",
    });
    try {
      // Time for the worker to start on a loaded machine (tsx compiles it); its refreshes then take 5 s.
      await expect.poll(async () => (await stack.control().refreshRequests()).github, { timeout: 30_000 }).toBe(3);
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      worker.kill("SIGKILL");
      await exited;
    } finally {
      worker.kill("SIGKILL");
    }
    await stack.control().refreshMode("github", "normal");

    // Claimed by the dead sweeper: skipped until its lease expires, then refreshed.
    expect(await sweep()).toMatchObject({ claimed: 0 });
    const leaseEnds = Math.max(
      ...(await Promise.all(due.map(async (each) => (await row(each.id)).refreshLeaseUntil!.getTime()))),
    );
    expect(leaseEnds - Date.now()).toBeLessThanOrEqual(REFRESH_LEASE_MS);
    await new Promise((resolve) => setTimeout(resolve, leaseEnds - Date.now() + 200));
    // The dead sweeper's refreshes reached GitHub, which rotated the refresh tokens: its answers
    // were lost with it, so these grants are dead, and the sweep says so instead of retrying forever.
    expect(await sweep()).toEqual({ claimed: 3, refreshed: 0, failed: 0, reconnect: 3 });
    for (const each of due) expect((await row(each.id)).status).toBe("needs_reconnect");
  }, 60_000);

  it("PostgreSQL restarts mid-sweep: the provider's answers are stored once it is back; nothing lost", async () => {
    const due = await Promise.all(Array.from({ length: 5 }, () => account("github", { expiresIn: 300 })));
    await stack.control().refreshMode("github", "slow", { delayMs: 1_500 });

    const sweeping = sweep();
    await expect.poll(async () => (await stack.control().refreshRequests()).github, { timeout: 10_000 }).toBe(5);
    await stack.database().restart();

    expect(await sweeping).toEqual({ claimed: 5, refreshed: 5, failed: 0, reconnect: 0 });
    await stack.control().refreshMode("github", "normal");
    for (const each of due) {
      const stored = await row(each.id);
      expect(stored).toMatchObject({ status: "active", refreshLeaseId: null });
      // The rotated refresh token was stored: it works at GitHub.
      await stack.db().account.update({ where: { id: each.id }, data: { expires_at: nowSeconds() + 60 } });
    }
    expect(await sweep()).toMatchObject({ claimed: 5, refreshed: 5 });
  }, 60_000);
});
