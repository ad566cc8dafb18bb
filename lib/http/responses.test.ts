import { describe, expect, it } from "vitest";
import { loggedRecords } from "../../test/vitest/capture-logs";
import { answeringDatabaseOutages } from "./responses";

describe("route handlers during a database outage", () => {
  it("a query whose connection dies mid-request answers 503 database_unavailable with Retry-After, and logs one line", async () => {
    // What node-postgres throws when the server goes away under a running query.
    const handler = answeringDatabaseOutages(async () => {
      throw new Error("Connection terminated unexpectedly");
    });
    const response = await handler();
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(await response.json()).toMatchObject({ error: { code: "database_unavailable" } });
    expect(loggedRecords()).toEqual([
      {
        level: "error",
        text: expect.stringMatching(
          /^error database.unavailable .*reason="PostgreSQL at 127\.0\.0\.1:\d+ unavailable: connection closed/,
        ),
      },
    ]);
  });

  it("any other error is left to Next.js", async () => {
    const handler = answeringDatabaseOutages(async () => {
      throw new TypeError("a bug");
    });
    await expect(handler()).rejects.toThrow("a bug");
  });
});
