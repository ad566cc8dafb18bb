// `npm run tokens:reencrypt`: rewrites every stored OAuth token with the current key (first entry
// of TOKEN_ENCRYPTION_KEY). Uses DATABASE_URL, or the embedded development database.
import nextEnv from "@next/env";
import { endingOnAnticipatedFaults } from "./lib/anticipated-fault";
import { openDevDatabase } from "./lib/dev-database";
import { logLine } from "./lib/prefixed-output";

// A database that refuses us, a data directory another process holds: one line each.
endingOnAnticipatedFaults((line) => console.error(line));
nextEnv.loadEnvConfig(process.cwd(), true, { info: () => {}, error: console.error });
const database = await openDevDatabase((line) => logLine("db", line));
process.env.DATABASE_URL = database.url;
try {
  const { reencryptAllTokens } = await import("../lib/connected-accounts");
  const report = await reencryptAllTokens();
  console.log(JSON.stringify(report));
} finally {
  const { getDb } = await import("../lib/db");
  await getDb().$disconnect();
  await database.stop();
}
