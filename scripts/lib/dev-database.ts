import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded-database";

/** Where `npm run dev` and the db:* scripts keep their cluster; DEV_DATA_DIR moves it (tests do). */
export const DEV_DATA_DIR = process.env.DEV_DATA_DIR ?? ".data/postgres";

/** DATABASE_URL when set (used as is), otherwise embedded PostgreSQL kept in DEV_DATA_DIR. */
export async function openDevDatabase(log: (line: string) => void): Promise<Pick<EmbeddedDatabase, "url" | "stop">> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, stop: async () => {} };
  return startEmbeddedDatabase({ dataDir: DEV_DATA_DIR, persistent: true, log: (line) => important(line) && log(line) });
}

/** PostgreSQL logs every checkpoint; show only what a developer should act on. */
function important(line: string): boolean {
  return /\b(ERROR|FATAL|PANIC|WARNING)\b|ready to accept connections/.test(line);
}
