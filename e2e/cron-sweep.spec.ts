import { expect, signInOverHttp, test, uniqueEmail } from "../test/playwright/fixtures";

const cronSecret = () => (JSON.parse(process.env.E2E_APP_ENV ?? "{}") as Record<string, string>).CRON_SECRET!;

test("the cron route runs the sweep for its secret only, and renews a token about to expire", async ({
  page,
  playwright,
  baseURL,
  sql,
  sandbox,
}) => {
  const email = uniqueEmail("cron");
  await signInOverHttp(page, "Google", email);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  // In use (the page just used it) and expiring in 2 minutes: within the 10-minute margin.
  await sql(
    `UPDATE "Account" SET expires_at = extract(epoch FROM now())::int + 120, "lastUsedAt" = now() WHERE email = $1`,
    [email],
  );
  const refreshesBefore = await sandbox.refreshRequests();

  // A fresh context: the route needs no session, and a session would not open it.
  const caller = await playwright.request.newContext({ baseURL, ignoreHTTPSErrors: true });
  try {
    for (const authorization of [undefined, "Bearer wrong-secret-of-some-length", `Basic ${cronSecret()}`]) {
      const refused = await caller.get("/api/cron/sweep", { headers: authorization ? { authorization } : {} });
      expect(refused.status(), authorization ?? "no header").toBe(401);
      expect((await refused.json()).error.code).toBe("unauthorized");
    }
    expect(await sandbox.refreshRequests()).toEqual(refreshesBefore); // refused before any work

    // Next.js answers HEAD with a route's GET unless the route has a HEAD: with the secret, it would sweep.
    const head = await caller.head("/api/cron/sweep", { headers: { authorization: `Bearer ${cronSecret()}` } });
    expect(head.status()).toBe(405);
    expect(head.headers()["allow"]).toBe("GET");
    expect(await sandbox.refreshRequests()).toEqual(refreshesBefore);

    const swept = await caller.get("/api/cron/sweep", { headers: { authorization: `Bearer ${cronSecret()}` } });
    expect(swept.status()).toBe(200);
    expect(swept.headers()["cache-control"]).toContain("no-store");
    // Accounts other specs left due are swept too: at least this one was refreshed.
    expect((await swept.json()).data.refreshed).toBeGreaterThanOrEqual(1);
    const [account] = await sql<{ expires_at: number; refreshedAt: Date | null }>(
      `SELECT expires_at, "refreshedAt" FROM "Account" WHERE email = $1`,
      [email],
    );
    expect(account!.refreshedAt).not.toBeNull();
    expect(account!.expires_at - Date.now() / 1000).toBeGreaterThan(600);
  } finally {
    await caller.dispose();
  }
});
