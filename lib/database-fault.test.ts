import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../scripts/lib/migrate";
import { createPrismaClient } from "./db";
import { databaseFault, isDatabaseUnavailable } from "./database-fault";

const PASSWORD = "s3cret-pw";
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on loopback that does `onConnection` to each client, and a DATABASE_URL for it. */
async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<string> {
  const server = net
    .createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    })
    .listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `postgres://app:${PASSWORD}@127.0.0.1:${(server.address() as net.AddressInfo).port}/app?connect_timeout=1`;
}

async function failure(databaseUrl: string): Promise<Error> {
  const db = createPrismaClient(databaseUrl);
  try {
    await db.user.count();
  } catch (error) {
    return error as Error;
  } finally {
    await db.$disconnect();
  }
  throw new Error("the query succeeded");
}

const testDatabase = () => new URL(process.env.DATABASE_URL!);

describe("a database that cannot answer is named, with what happened, in one line", () => {
  it.each([
    ["timed out", (): void => {}, "timed_out", /timed out/],
    ["reset", (socket: net.Socket): void => void socket.resetAndDestroy(), "reset", /connection reset|closed/],
    ["closed", (socket: net.Socket): void => void socket.end(), "closed", /connection closed/],
  ] as const)("%s", async (_, onConnection, reason, words) => {
    const url = await fakeServer(onConnection);
    const error = await failure(url);
    const line = error.message.split("\n").at(-1)!;
    expect(line).toContain(`PostgreSQL at 127.0.0.1:${new URL(url).port} unavailable:`);
    expect(line).toMatch(words);
    expect(error.message).not.toContain(PASSWORD);
    expect(databaseFault(error)?.reason).toBe(reason);
  });

  it("refused, and a wrong password", async () => {
    const closed = await fakeServer(() => {});
    const port = new URL(closed).port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await failure(closed);
    expect(refused.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(databaseFault(refused)?.reason).toMatch(/refused|unreachable/);

    const wrongPassword = testDatabase();
    wrongPassword.password = PASSWORD;
    const refusedLogin = await failure(wrongPassword.href);
    expect(refusedLogin.message).toContain(
      `PostgreSQL at 127.0.0.1:${wrongPassword.port} unavailable: authentication failed`,
    );
    expect(refusedLogin.message).not.toContain(PASSWORD);
    expect(databaseFault(refusedLogin)).toEqual({ reason: "authentication", code: "28P01" });
  });

  it("a query whose connection the server ends (a restart, 57P01)", async () => {
    const db = createPrismaClient(testDatabase().href);
    const admin = new pg.Client({ connectionString: testDatabase().href });
    await admin.connect();
    try {
      const sleeping = db.$queryRaw`SELECT pg_sleep(10), 'fault-test'`.catch((error: Error) => error);
      await expect
        .poll(
          async () =>
            (
              await admin.query(
                `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE query LIKE '%fault-test%' AND pid <> pg_backend_pid()`,
              )
            ).rowCount,
        )
        .toBe(1);
      const error = await sleeping;
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("the server is shutting down or restarting [57P01]");
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await admin.end();
      await db.$disconnect();
    }
  });

  it("a query's own error is no fault", async () => {
    const db = createPrismaClient(testDatabase().href);
    try {
      const error = await db.$queryRaw`SELECT 1/0`.catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await db.$disconnect();
    }
  });

  it("prisma migrate says it too, instead of External error id#0", async () => {
    const url = await fakeServer(() => {});
    const error = (await applyMigrations(url).catch((caught: unknown) => caught)) as { stderr?: string };
    expect(error.stderr).toContain(`PostgreSQL at 127.0.0.1:${new URL(url).port} unavailable: timed out`);
    expect(error.stderr).not.toContain("External error");
    expect(error.stderr).not.toContain(PASSWORD);
  }, 30_000);
});
