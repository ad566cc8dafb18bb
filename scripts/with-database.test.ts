import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./lib/embedded-database";

const run = promisify(execFile);
const tsx = path.resolve("node_modules/.bin/tsx");
const script = path.resolve("scripts/with-database.ts");
// Prints the DATABASE_URL the command was given.
const printUrl = [process.execPath, "-e", "console.log('child got ' + process.env.DATABASE_URL)"];

describe("scripts/with-database.ts (npm run db:*)", () => {
  // A directory of its own: no .env files, and an embedded database in it would be a throwaway.
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), "with-database-"));
    // As root, embedded PostgreSQL runs as the postgres user, who must be able to enter it.
    await chmod(cwd, 0o755);
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  async function withDatabase(env: Record<string, string>) {
    const { PATH, HOME } = process.env;
    // Only these: the test run's own DATABASE_URL, CI and NODE_ENV must not leak in.
    const childEnv: Record<string, string | undefined> = { PATH, HOME, ...env };
    try {
      const { stdout, stderr } = await run(tsx, [script, ...printUrl], { cwd, env: childEnv as NodeJS.ProcessEnv });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  }

  it.each<Record<string, string>>([{ CI: "true" }, { NODE_ENV: "production" }])(
    "refuses without DATABASE_URL when %o, in one line",
    async (env) => {
      const result = await withDatabase(env);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^DATABASE_URL is not set .*refusing to run .*set DATABASE_URL/),
      ]);
      expect(result.stdout).not.toContain("child got");
    },
  );

  it("runs the command on DATABASE_URL and says which database, without its password", async () => {
    // The test database, as a role of its own whose password shows if it leaks.
    const url = new URL(process.env.DATABASE_URL!);
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    try {
      await admin.query(
        `DROP ROLE IF EXISTS with_database_test; CREATE ROLE with_database_test LOGIN PASSWORD 's3cret-pw'`,
      );
    } finally {
      await admin.end();
    }
    url.username = "with_database_test";
    url.password = "s3cret-pw";
    url.search = "?connect_timeout=5";
    const result = await withDatabase({ CI: "true", DATABASE_URL: url.href });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`child got ${url.href}`);
    const logged = result.stdout.split("\n").find((line) => line.startsWith("[db]"));
    expect(logged).toMatch(
      new RegExp(`on DATABASE_URL, postgres://with_database_test@127\\.0\\.0\\.1:${url.port}/app\\?connect_timeout=5$`),
    );
    expect(logged).not.toContain("s3cret-pw");
  });

  it("locally, without DATABASE_URL, starts embedded PostgreSQL in .data/postgres and says so", async () => {
    const result = await withDatabase({});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /on embedded PostgreSQL in \.data\/postgres, postgres:\/\/postgres@127\.0\.0\.1:\d+\/app/,
    );
    expect(result.stdout).toMatch(/child got postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/app/);
  }, 60_000);

  it("a DATABASE_URL with a wrong password: one line naming the user, host and database, and the command never runs", async () => {
    const url = new URL(process.env.DATABASE_URL!); // the test database
    url.password = "not-the-password";
    const result = await withDatabase({ CI: "true", DATABASE_URL: url.href });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `PostgreSQL at 127.0.0.1:${url.port} unavailable: authentication failed for user "${url.username}" on database "${url.pathname.slice(1)}" (check the user and password in DATABASE_URL) [28P01]`,
    ]);
    expect(result.stdout).not.toContain("child got");
    expect(result.stdout + result.stderr).not.toContain("not-the-password");
  });

  it("embedded PostgreSQL already running on .data/postgres (a second `npm run dev`): one line", async () => {
    const held = await startEmbeddedDatabase({ dataDir: path.join(cwd, ".data/postgres"), persistent: false });
    try {
      const result = await withDatabase({});
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^PostgreSQL \(PID \d+\) already runs on .*: is another `npm run dev` running\? Stop it first/,
        ),
      ]);
      expect(result.stdout).not.toContain("child got");
    } finally {
      await held.stop();
    }
  }, 60_000);

  it.each(["webhooks.ts", "reencrypt-tokens.ts"])(
    "scripts/%s, which open the same database, end in one line too",
    async (file) => {
      const { PATH, HOME } = process.env;
      const url = new URL(process.env.DATABASE_URL!);
      url.password = "not-the-password";
      const result = await run(tsx, ["--conditions=react-server", path.resolve("scripts", file)], {
        cwd,
        env: { PATH, HOME, DATABASE_URL: url.href } as unknown as NodeJS.ProcessEnv,
      }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/unavailable: authentication failed for user/),
      ]);
    },
  );
});
