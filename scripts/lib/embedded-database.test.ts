import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

// A clone inside a directory only root can enter (as /root, or `mktemp -d`), started as root.
const privateParent = mkdtempSync(path.join(tmpdir(), "private-clone-"));
afterAll(() => rmSync(privateParent, { recursive: true, force: true }));

it.skipIf(!asRoot)(
  "as root, in a clone under a 0700 directory, says in one line why PostgreSQL cannot start and what to do",
  async () => {
    expect(statSync(privateParent).mode & 0o777).toBe(0o700);
    const project = path.join(privateParent, "project");
    mkdirSync(project);
    for (const entry of ["package.json", "tsconfig.json", "scripts", "lib"])
      cpSync(path.resolve(entry), path.join(project, entry), { recursive: true });
    // Hard links: a copy of node_modules in a second of time, reached only through the private directory.
    execFileSync("cp", ["-al", path.resolve("node_modules"), project]);
    // `npm run db:deploy` runs this; the command after it is never reached.
    const { PATH, HOME } = process.env;
    const result = await run(path.join(project, "node_modules/.bin/tsx"), ["scripts/with-database.ts", "true"], {
      cwd: project,
      env: { PATH, HOME } as unknown as NodeJS.ProcessEnv,
    }).then(
      () => ({ stderr: "", code: 0 }),
      (error: { stderr: string; code: number }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1); // no code frame, no stack
    expect(result.stderr).toMatch(
      new RegExp(
        `Embedded PostgreSQL runs as the postgres user when started as root, and that user cannot enter ${privateParent} \\(mode 700\\).*move the project to a directory others can enter`,
      ),
    );
    expect(result.stderr).not.toMatch(/EACCES/);
  },
  60_000,
);
