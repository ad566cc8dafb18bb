import { createServer, type Socket } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { poolConfigFromUrl } from "./database-url";

describe("poolConfigFromUrl", () => {
  it("splits the URL into pg's fields, with a bounded connect wait and pool by default", () => {
    expect(poolConfigFromUrl("postgresql://app%40x:p%2Fw@db.example.com:6543/main")).toEqual({
      host: "db.example.com",
      port: 6543,
      user: "app@x",
      password: "p/w",
      database: "main",
      ssl: undefined,
      connectionTimeoutMillis: 10_000,
      max: 10,
    });
  });

  it("reads Prisma's connect_timeout (seconds, 0 = no limit) and connection_limit", () => {
    const config = poolConfigFromUrl("postgres://u:p@127.0.0.1/app?connection_limit=1&connect_timeout=3");
    expect(config).toMatchObject({ connectionTimeoutMillis: 3_000, max: 1, port: 5432 });
    expect(poolConfigFromUrl("postgres://u:p@127.0.0.1/app?connect_timeout=0").connectionTimeoutMillis).toBe(0);
  });

  it("refuses a schema other than public, which the driver adapter would ignore", () => {
    expect(() => poolConfigFromUrl("postgres://u:p@h/app?schema=other")).toThrow(
      /^DATABASE_URL parameter schema is not supported \(got "other"\): .*a database of its own/,
    );
    expect(poolConfigFromUrl("postgres://u:p@h/app?schema=public").database).toBe("app");
  });

  it("maps sslmode to pg's ssl option", () => {
    expect(poolConfigFromUrl("postgres://u:p@h/app?sslmode=disable").ssl).toBeUndefined();
    expect(poolConfigFromUrl("postgres://u:p@h/app?sslmode=require").ssl).toEqual({ rejectUnauthorized: false });
    expect(poolConfigFromUrl("postgres://u:p@h/app?sslmode=verify-full").ssl).toEqual({ rejectUnauthorized: true });
  });

  it("refuses values it cannot use, naming the parameter", () => {
    expect(() => poolConfigFromUrl("postgres://u:p@h/app?connection_limit=-1")).toThrow(
      /connection_limit .*at least 1/,
    );
    expect(() => poolConfigFromUrl("postgres://u:p@h/app?connect_timeout=1.5")).toThrow(
      /connect_timeout .*whole number/,
    );
  });

  it("gives up on a database that accepts the connection and never answers", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const pool = new pg.Pool(poolConfigFromUrl(`postgres://u:p@127.0.0.1:${port}/app?connect_timeout=1`));
    try {
      const started = Date.now();
      await expect(pool.query("SELECT 1")).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
