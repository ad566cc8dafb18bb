import { readFileSync } from "node:fs";
import { expect, test } from "../test/playwright/fixtures";

// The shared server's log (test/playwright/global-setup.ts), per project.
const serverLog = (baseURL: string | undefined) =>
  readFileSync(
    baseURL?.startsWith("https:") ? "test-results/next-server-https.log" : "test-results/next-server.log",
    "utf8",
  );

test("GET and HEAD /api/health: 200 while the database answers, never cached, nothing but the status", async ({
  request,
}) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store, private");
  expect(await response.json()).toEqual({ status: "ok" });

  const head = await request.head("/api/health");
  expect(head.status()).toBe(200);
  expect(await head.body()).toHaveLength(0);
});

test("HEAD on an Auth.js route answers 405 and logs no error (uptime checkers send HEAD)", async ({
  request,
  baseURL,
}) => {
  const logBefore = serverLog(baseURL).length;
  const response = await request.head("/api/auth/providers");
  expect(response.status()).toBe(405);
  expect(response.headers()["allow"]).toBe("GET, POST");
  // GET still answers.
  expect((await request.get("/api/auth/providers")).status()).toBe(200);
  expect(serverLog(baseURL).slice(logBefore)).not.toMatch(/auth\.failed|error/);
});
