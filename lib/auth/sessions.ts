import "server-only";
import type { Prisma } from "@prisma/client";
import { getDb } from "../db";
import { log } from "../log";
import { describeDevice, isMobileDevice } from "./device";
import type { SignedInUser } from "./require-user";

/** lastSeenAt is written at most this often per session: a list to the minute, not a write per request. */
const SEEN_INTERVAL_SECONDS = 60;
const USER_AGENT_MAX_LENGTH = 512;

// When this process last noted each session: most requests then skip the database entirely. Other
// processes have their own memory; the database's clock still decides in the UPDATE below.
const notedAt = new Map<string, number>();
const NOTED_MEMORY_LIMIT = 10_000;

/**
 * Notes that a session was just used, from this browser. The database decides, by its own clock,
 * whether the last note is a minute old; a fresher one makes this a no-op update. A session this
 * process noted less than a minute ago is not asked about at all.
 */
export async function noteSessionSeen(sessionId: string, userAgent: string | null): Promise<void> {
  const now = Date.now();
  const last = notedAt.get(sessionId);
  if (last !== undefined && now >= last && now - last < SEEN_INTERVAL_SECONDS * 1000) return;
  if (notedAt.size >= NOTED_MEMORY_LIMIT) notedAt.clear();
  notedAt.set(sessionId, now);
  const agent = userAgent ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null;
  await getDb().$executeRaw`
    UPDATE "Session" SET "lastSeenAt" = now(), "userAgent" = ${agent}
    WHERE id = ${sessionId}
      AND ("lastSeenAt" IS NULL OR "lastSeenAt" < now() - make_interval(secs => ${SEEN_INTERVAL_SECONDS}))`;
}

/** Signs a user out everywhere: deletes every session of theirs. Returns how many there were. */
export async function signOutEverywhere(tx: Prisma.TransactionClient, userId: string, reason: string): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId } });
  log.warn("user.signed_out_everywhere", { userId, reason, counts: { sessions: count } });
  return count;
}

export type SessionSummary = {
  id: string;
  /** The browser and system in words ("Firefox on Windows"). */
  device: string;
  mobile: boolean;
  signedInAt: Date;
  lastSeenAt: Date | null;
  /** The session of this very request. */
  current: boolean;
};

/** The user's sessions that have not expired: this one first, then the most recently seen. */
export async function listSessions(user: Pick<SignedInUser, "id" | "sessionId">): Promise<SessionSummary[]> {
  const rows = await getDb().session.findMany({
    // Auth.js writes `expires` by the app's clock, and compares it by that clock too.
    where: { userId: user.id, expires: { gt: new Date() } },
    select: { id: true, userAgent: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
  });
  const sessions = rows.map((row) => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    mobile: isMobileDevice(row.userAgent),
    signedInAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === user.sessionId,
  }));
  return [...sessions.filter((session) => session.current), ...sessions.filter((session) => !session.current)];
}

/**
 * Signs out the user's sessions other than this one: all of them (`"others"`), or one by its id.
 * Only the user's own sessions match, so another user's session id ends nothing. Returns how many ended.
 */
export async function endOtherSessions(
  user: Pick<SignedInUser, "id" | "sessionId">,
  which: "others" | { sessionId: string },
): Promise<number> {
  const target = which === "others" ? {} : { id: which.sessionId };
  const { count } = await getDb().session.deleteMany({
    where: { AND: [{ userId: user.id }, { id: { not: user.sessionId } }, target] },
  });
  return count;
}
