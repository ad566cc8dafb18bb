import "server-only";
import { databaseFault } from "./database-fault";
import { getDb, logDatabaseFault } from "./db";
import { log } from "./log";

// An uptime checker gives up after a few seconds; a database that has not answered by then is down
// as far as users can tell.
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/** Whether the database answers a trivial query in time; logs one line when it does not. */
export async function databaseAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timed_out">((resolve) => {
    timer = setTimeout(() => resolve("timed_out"), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([getDb().$queryRaw`SELECT 1`, timedOut]);
    if (outcome !== "timed_out") return true;
    log.error("database.unavailable", {
      code: "timed_out",
      reason: `the health check got no answer within ${DATABASE_CHECK_TIMEOUT_MS / 1000} s`,
    });
    return false;
  } catch (error) {
    if (!databaseFault(error)) throw error;
    logDatabaseFault(error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
