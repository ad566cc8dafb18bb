import { createServer, type Server } from "node:net";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { databaseStillDown, noteDatabaseFault, outagePage } from "./database-outage";
import { loggedRecords } from "@/test/vitest/capture-logs";

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const urlAt = (port: number) => `postgres://app:secret@127.0.0.1:${port}/app`;

beforeEach(() => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("connected-accounts.database-fault-at")];
});

describe("databaseStillDown", () => {
  it("is false without a recent fault, without trying to connect", async () => {
    const { server, port } = await listening();
    let connections = 0;
    server.on("connection", () => connections++);
    expect(await databaseStillDown(urlAt(port))).toBe(false);
    expect(connections).toBe(0);
    server.close();
  });

  it("after a fault, is true while the port refuses connections, with one log line that holds no password", async () => {
    const { server, port } = await listening();
    await new Promise((resolve) => server.close(resolve)); // now nothing listens there
    noteDatabaseFault();
    expect(await databaseStillDown(urlAt(port))).toBe(true);
    expect(await databaseStillDown(urlAt(port))).toBe(true);
    const lines = loggedRecords().filter((record) => record.text.includes("database.unavailable"));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.level).toBe("error");
    expect(JSON.stringify(lines)).toContain(`PostgreSQL at 127.0.0.1:${port} unavailable: connection refused`);
    expect(JSON.stringify(lines)).not.toContain("secret");
  });

  it("once the port answers again, is false and forgets the fault", async () => {
    const { server, port } = await listening();
    let connections = 0;
    server.on("connection", () => connections++);
    noteDatabaseFault();
    expect(await databaseStillDown(urlAt(port))).toBe(false);
    expect(await databaseStillDown(urlAt(port))).toBe(false);
    expect(connections).toBe(1);
    server.close();
  });

  it("forgets a fault older than its memory without checking", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      noteDatabaseFault();
      vi.setSystemTime(Date.now() + 31_000);
      expect(await databaseStillDown(urlAt(1))).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("outagePage", () => {
  it("reloads itself and carries its style under the response's nonce", async () => {
    const html = outagePage({ nonce: "abc+/=" });
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('<style nonce="abc+/=">');
    expect(html).toContain("<h1>Temporarily unavailable</h1>");
    expect(html).not.toMatch(/style="/);
  });
});
