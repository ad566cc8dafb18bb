// Next.js answers HEAD with a route's GET handler when the route exports no HEAD, so a HEAD would do
// whatever the GET does (run the sweep, start a link, read or refresh a token). Every route with a
// GET exports a HEAD that answers 405 instead.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

// Whose session it is does not matter here (and Auth.js's configuration does not load in vitest).
vi.mock("@/lib/auth/require-user", () => ({ requireUser: vi.fn(), signedInUser: vi.fn() }));

const SECRET = "cron-secret-0123456789abcdef";
// Read by lib/env on first use, which comes after this line.
process.env.CRON_SECRET = SECRET;

const appDir = import.meta.dirname;
const routeFiles = readdirSync(appDir, { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "route.ts")
  .map((file) => path.join(appDir, file));

const exportsMethod = (source: string, method: string) =>
  new RegExp(`export (const|async function|function) ${method}\\b|export const \\{[^}]*\\b${method}\\b`).test(source);

describe("HEAD never runs a GET handler", () => {
  it("every route.ts with a GET exports a HEAD", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(7);
    const withGet = routeFiles.filter((file) => exportsMethod(readFileSync(file, "utf8"), "GET"));
    expect(withGet.length).toBeGreaterThanOrEqual(5);
    const missing = withGet.filter((file) => !exportsMethod(readFileSync(file, "utf8"), "HEAD"));
    expect(missing.map((file) => path.relative(appDir, file))).toEqual([]);
  });

  it("HEAD /api/cron/sweep with the secret answers 405 and sweeps nothing; so do the token routes", async () => {
    const routes = [
      ["/api/cron/sweep", await import("./api/cron/sweep/route")],
      ["/api/connected-accounts", await import("./api/connected-accounts/route")],
      ["/api/connected-accounts/google/token", await import("./api/connected-accounts/[provider]/token/route")],
    ] as const;
    for (const [url, route] of routes) {
      expect("HEAD" in route, url).toBe(true);
      const head = (route as unknown as { HEAD: (request: NextRequest) => Promise<Response> }).HEAD;
      const request = new NextRequest(`http://localhost${url}`, {
        method: "HEAD",
        headers: { authorization: `Bearer ${SECRET}` },
      });
      const response = await head(request);
      expect(response.status, url).toBe(405);
      expect(response.headers.get("allow"), url).toBe("GET");
    }
  });
});
