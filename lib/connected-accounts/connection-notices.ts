import "server-only";
import { getDb } from "../db";
import { isProviderId, type ProviderId } from "../providers";
import { failure, type Result } from "../result";
import { onConnectionEvent, type ConnectionEvent } from "./events";

// The worked example of onConnectionEvent (docs/events.md): when a connection needs reconnecting,
// the user is told on their next visit, wherever they land, and the notice goes away by itself
// when the account works again or is gone.

export const NOTICE_KINDS = ["needs_reconnect"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A notice the signed-in pages show until it is dismissed or resolved. */
export type ActiveNotice = { id: string; kind: NoticeKind; provider: ProviderId; accountId: string; createdAt: Date };

/** Stores or clears the notice an event calls for; registerConnectionHooks registers it. */
async function noticeForEvent(event: ConnectionEvent): Promise<void> {
  switch (event.type) {
    case "connected_account.needs_reconnect":
      // One notice per account and kind: a second failure shows the same notice again, as new.
      await getDb().notice.upsert({
        where: { accountId_kind: { accountId: event.accountId, kind: "needs_reconnect" } },
        create: {
          userId: event.userId,
          accountId: event.accountId,
          kind: "needs_reconnect",
          provider: event.provider,
          createdAt: event.createdAt,
        },
        update: { userId: event.userId, provider: event.provider, createdAt: event.createdAt, dismissedAt: null },
      });
      return;
    case "connected_account.recovered":
    case "connected_account.linked": // linked again: a new grant
    case "connected_account.unlinked":
      await getDb().notice.updateMany({
        where: { accountId: event.accountId, kind: "needs_reconnect", dismissedAt: null },
        data: { dismissedAt: event.createdAt },
      });
      return;
    default:
      return;
  }
}

const registered = globalThis as { connectionHooksRegistered?: boolean };

/**
 * The template's own connection-event hooks, registered once per process (a second call does
 * nothing). Every process that changes accounts calls it: the server (instrumentation-node.ts)
 * and the worker (scripts/worker.ts). Add your hooks here.
 */
export function registerConnectionHooks(): void {
  if (registered.connectionHooksRegistered) return;
  registered.connectionHooksRegistered = true;
  onConnectionEvent(noticeForEvent);
}

/**
 * The user's notices to show, oldest first. A notice whose account works again (or is gone) is
 * left out even if its hook call was lost: hooks run at most once.
 */
export async function activeNotices(userId: string): Promise<ActiveNotice[]> {
  const notices = await getDb().notice.findMany({
    where: { userId, dismissedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, provider: true, accountId: true, createdAt: true },
  });
  if (notices.length === 0) return [];
  const stillBroken = new Set(
    (
      await getDb().account.findMany({
        where: { userId, id: { in: notices.map((notice) => notice.accountId) }, status: "needs_reconnect" },
        select: { id: true },
      })
    ).map((account) => account.id),
  );
  return notices.flatMap(({ kind, provider, ...notice }) =>
    stillBroken.has(notice.accountId) && isNoticeKind(kind) && isProviderId(provider)
      ? [{ ...notice, kind, provider }]
      : [],
  );
}

/** Dismisses one of the user's notices. Someone else's id, or an unknown one, changes nothing. */
export async function dismissNotice(userId: string, noticeId: string): Promise<Result<object, "not_found">> {
  const { count } = await getDb().notice.updateMany({
    where: { id: noticeId, userId, dismissedAt: null },
    data: { dismissedAt: new Date() },
  });
  return count === 1 ? { ok: true } : failure("not_found", "no such notice of this user, or already dismissed");
}

function isNoticeKind(value: string): value is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(value);
}
