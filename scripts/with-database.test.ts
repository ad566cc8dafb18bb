import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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
    // Never contacted: the command only prints it.
    const url = "postgres://app:s3cret-pw@db.example.com:5432/main?sslmode=require";
    const result = await withDatabase({ CI: "true", DATABASE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`child got ${url}`);
    const logged = result.stdout.split("\n").find((line) => line.startsWith("[db]"));
    expect(logged).toMatch(/on DATABASE_URL, postgres:\/\/app@db\.example\.com:5432\/main\?sslmode=require$/);
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
});
