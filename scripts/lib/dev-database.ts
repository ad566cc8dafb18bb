import pg from "pg";
import { databaseFault } from "../../lib/database-fault";
import { databaseFaultLine } from "../../lib/database-fault-line";
import { poolConfigFromUrl } from "../../lib/database-url";
import { AnticipatedFault } from "./anticipated-fault";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded-database";

/** Where `npm run dev` and the db:* scripts keep their cluster; DEV_DATA_DIR moves it (tests do). */
export const DEV_DATA_DIR = process.env.DEV_DATA_DIR ?? ".data/postgres";

export type DevDatabase = Pick<EmbeddedDatabase, "url" | "stop"> & {
  /** Which database this is, for the log: never the password. */
  description: string;
};

/** DATABASE_URL when set (used as is), otherwise embedded PostgreSQL kept in DEV_DATA_DIR. */
export async function openDevDatabase(log: (line: string) => void): Promise<DevDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    await checkConnection(url);
    return { url, stop: async () => {}, description: `DATABASE_URL, ${withoutPassword(url)}` };
  }
  const database = await startEmbeddedDatabase({
    dataDir: DEV_DATA_DIR,
    persistent: true,
    log: (line) => isWorthShowing(line) && log(line),
  });
  return { ...database, description: `embedded PostgreSQL in ${DEV_DATA_DIR}, ${withoutPassword(database.url)}` };
}

/**
 * Connects once, so that a DATABASE_URL the server refuses (a wrong password, a database that is
 * not there, nothing listening) ends the command in one line naming it, not in Prisma's words.
 */
async function checkConnection(url: string): Promise<void> {
  let config: pg.ClientConfig;
  try {
    config = poolConfigFromUrl(url);
  } catch (error) {
    throw new AnticipatedFault((error as Error).message);
  }
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    const fault = databaseFault(error);
    throw fault ? new AnticipatedFault(databaseFaultLine(fault, config as pg.PoolConfig), { cause: error }) : error;
  } finally {
    await client.end().catch(() => {});
  }
}

function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return "(not a URL)";
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.href;
}

/**
 * PostgreSQL logs every checkpoint; show only what a developer should act on. A stop closes the
 * app's open connections with "FATAL: terminating connection due to administrator command", and
 * refuses a connection opened meanwhile with "FATAL: the database system is shutting down": that
 * is the stop working (a terminal's Ctrl-C reaches PostgreSQL before the app lets go).
 */
export function isWorthShowing(line: string): boolean {
  if (/FATAL:\s+(terminating connection due to administrator command|the database system is shutting down)/.test(line))
    return false;
  return /\b(ERROR|FATAL|PANIC|WARNING)\b|ready to accept connections/.test(line);
}
