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
  if (url) return { url, stop: async () => {}, description: `DATABASE_URL, ${withoutPassword(url)}` };
  const database = await startEmbeddedDatabase({
    dataDir: DEV_DATA_DIR,
    persistent: true,
    log: (line) => isWorthShowing(line) && log(line),
  });
  return { ...database, description: `embedded PostgreSQL in ${DEV_DATA_DIR}, ${withoutPassword(database.url)}` };
}

function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return "(not a URL)";
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.href;
}

/**
 * PostgreSQL logs every checkpoint; show only what a developer should act on. A stop closes the
 * app's open connections with "FATAL: terminating connection due to administrator command": that
 * is the stop working (a terminal's Ctrl-C reaches PostgreSQL before the app lets go).
 */
export function isWorthShowing(line: string): boolean {
  if (/FATAL:\s+terminating connection due to administrator command/.test(line)) return false;
  return /\b(ERROR|FATAL|PANIC|WARNING)\b|ready to accept connections/.test(line);
}
