import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Session } from "next-auth";
import { databaseFault, DatabaseUnavailableError } from "../database-fault";

// Auth.js catches an adapter error while it reads the session, logs it and answers "no session".
// The adapter notes the error here, in the read that `readSession` runs, so it is not lost.
const failedReads = new AsyncLocalStorage<{ error?: unknown }>();

/** For the adapter: this session read failed with `error` (Auth.js will swallow it). */
export function noteSessionReadFailure(error: unknown): void {
  const read = failedReads.getStore();
  if (read) read.error ??= error;
}

/**
 * Runs Auth.js's session read `read`. When it says "no session" because the database could not be
 * reached, throws DatabaseUnavailableError instead: the user is still signed in, the database is
 * not, and sending them to sign in (which needs the database too) would tell them otherwise.
 */
export async function readSession(read: () => Promise<Session | null>): Promise<Session | null> {
  const state: { error?: unknown } = {};
  const session = await failedReads.run(state, read);
  const fault = session ? undefined : databaseFault(state.error);
  if (fault) throw new DatabaseUnavailableError(fault, { cause: state.error });
  return session;
}
