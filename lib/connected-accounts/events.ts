import "server-only";
import { randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { getDb } from "../db";
import { EnvError, getEnv } from "../env";
import { log } from "../log";
import { describeError } from "../result";
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  isConnectionEventType,
  type ConnectionEventType,
  type EventCause,
} from "./event-types";

/** What a scopes_changed event says changed (a linked event lists the scopes granted at first). */
export type ScopeChange = { granted: string[]; removed: string[] };

/** Why an account needs reconnecting or was revoked, or why a refresh failed, as a code (docs/events.md). */
export type CauseDetail = { cause: EventCause };

/** Which agent an agent.* event is about (its name is the agent's own words), and the tool it used. */
export type AgentDetail = { agent: { clientId: string; name: string }; tool?: string };

/**
 * Something that happened to a linked account (docs/events.md). `reason` is our own words or a
 * provider's error code, for logs, never a token; `detail` carries the scopes of a scopes_changed
 * event, or the cause of a needs_reconnect, revoked or refresh_failed one.
 */
export type ConnectionEvent = {
  id: string;
  type: ConnectionEventType;
  userId: string;
  accountId: string;
  provider: string;
  reason: string | null;
  detail: ScopeChange | CauseDetail | AgentDetail | null;
  createdAt: Date;
};

export type NewConnectionEvent = Omit<ConnectionEvent, "id" | "createdAt" | "reason" | "detail"> & {
  reason?: string;
  detail?: ScopeChange | CauseDetail | AgentDetail;
};

/** Notes an event to be written with the change under way. */
export type RecordEvent = (event: NewConnectionEvent) => void;

export type ConnectionEventHandler = (event: ConnectionEvent) => void | Promise<void>;

// On globalThis: Next.js may load this module once for instrumentation and again for the app.
const hooks = ((globalThis as { connectionEventHandlers?: Set<ConnectionEventHandler> }).connectionEventHandlers ??=
  new Set());

/**
 * Calls `handler` with every connection event this process writes, after its transaction
 * commits, in order. The caller that made the change waits for it, so keep it short; a handler
 * that throws is logged and never fails that change. In-process and at most once (a process that
 * dies between commit and handler loses the call): for at-least-once delivery use webhooks.
 * Returns a function that removes the handler.
 */
export function onConnectionEvent(handler: ConnectionEventHandler): () => void {
  hooks.add(handler);
  return () => hooks.delete(handler);
}

/**
 * Runs `work` in a transaction, and writes the events it records in that same transaction (with
 * their webhook deliveries, when webhooks are configured): the change and its events commit
 * together or not at all. Handlers hear of the events once it has committed.
 */
export async function changeWithEvents<T>(
  work: (tx: Prisma.TransactionClient, record: RecordEvent) => Promise<T>,
  db: PrismaClient = getDb(),
): Promise<T> {
  const recorded: NewConnectionEvent[] = [];
  let written: ConnectionEvent[] = [];
  const result = await db.$transaction(async (tx) => {
    recorded.length = 0; // a retried transaction starts again
    const value = await work(tx, (event) => recorded.push(event));
    written = await insertEvents(tx, recorded);
    return value;
  });
  await announce(written);
  return result;
}

/** The scopes in `after` and not in `before`, and the other way round; undefined if none changed. */
export function scopeChange(before: readonly string[], after: readonly string[]): ScopeChange | undefined {
  const granted = after.filter((scope) => !before.includes(scope));
  const removed = before.filter((scope) => !after.includes(scope));
  return granted.length > 0 || removed.length > 0 ? { granted, removed } : undefined;
}

/**
 * The event types sent as webhooks: those WEBHOOK_EVENTS names, or by default all but refreshed.
 * An unknown name is an EnvError; the server and the worker call this once at start to stop on it.
 */
export function webhookEventTypes(named = getEnv().WEBHOOK_EVENTS): ConnectionEventType[] {
  if (!named) return [...DEFAULT_WEBHOOK_EVENT_TYPES];
  const unknown = named.filter((type) => !isConnectionEventType(type));
  if (unknown.length > 0)
    throw new EnvError(
      `Invalid environment: WEBHOOK_EVENTS names unknown event types: ${unknown.join(", ")}. See .env.example.`,
    );
  return named.filter(isConnectionEventType);
}

/** Event ids double as webhook ids (the receiver's key for dropping a redelivery). */
function newEventId(): string {
  return `evt_${randomBytes(16).toString("base64url")}`;
}

/**
 * `change` (one data-modifying statement that RETURNs the rows it changed) and, only if it changed
 * a row, `events` with their webhook deliveries: all in one statement, so they commit together or
 * not at all, with no transaction held open across round trips. Handlers hear of the events once
 * it has committed. Returns whether `change` changed a row.
 */
export async function changeRowWithEvents(change: Prisma.Sql, events: NewConnectionEvent[]): Promise<boolean> {
  const written = eventRows(events);
  const rows = await getDb().$queryRaw<{ changed: boolean; id: string | null; createdAt: Date | null }[]>`
    WITH changed AS (${change}), ${written.insert(Prisma.sql`EXISTS (SELECT FROM changed)`)}
    SELECT EXISTS (SELECT FROM changed) AS changed, inserted.id, inserted."createdAt"
    FROM (VALUES (1)) AS one LEFT JOIN inserted ON true`;
  const changed = rows[0]?.changed ?? false;
  if (changed) await announce(written.read(rows));
  return changed;
}

/** One statement: the events, and a webhook delivery for each type that is sent. */
async function insertEvents(tx: Prisma.TransactionClient, events: NewConnectionEvent[]): Promise<ConnectionEvent[]> {
  if (events.length === 0) return [];
  const written = eventRows(events);
  return written.read(
    await tx.$queryRaw`WITH ${written.insert(Prisma.sql`true`)} SELECT id, "createdAt" FROM inserted`,
  );
}

/**
 * New events with their ids: `insert(condition)` is the statement's part that writes them (as
 * `inserted`) when `condition` holds, with a webhook delivery for each type that is sent (as
 * `queued`); `read` makes the events written from the ids and times the statement returns.
 */
function eventRows(events: NewConnectionEvent[]) {
  const env = getEnv();
  const webhookTypes = env.WEBHOOK_URL ? webhookEventTypes(env.WEBHOOK_EVENTS) : [];
  const ids = events.map(newEventId);
  const column = <K extends keyof NewConnectionEvent>(key: K) => events.map((event) => event[key] ?? null);
  const details = events.map((event) => (event.detail ? JSON.stringify(event.detail) : null));
  return {
    insert: (condition: Prisma.Sql) => Prisma.sql`
      inserted AS (
        INSERT INTO "ConnectionEvent" (id, type, "userId", "accountId", provider, reason, detail, "createdAt")
        SELECT id, type, "userId", "accountId", provider, reason, detail::jsonb, clock_timestamp()
        FROM unnest(${ids}::text[], ${column("type")}::text[], ${column("userId")}::text[],
          ${column("accountId")}::text[], ${column("provider")}::text[], ${column("reason")}::text[], ${details}::text[])
          WITH ORDINALITY AS e(id, type, "userId", "accountId", provider, reason, detail, position)
        WHERE ${condition}
        ORDER BY position
        RETURNING id, type, "createdAt"
      ), queued AS (
        INSERT INTO "WebhookDelivery" ("eventId")
        SELECT id FROM inserted WHERE type = ANY(${webhookTypes}::text[])
      )`,
    read: (rows: { id: string | null; createdAt: Date | null }[]): ConnectionEvent[] => {
      const createdAt = new Map(rows.map((row) => [row.id, row.createdAt]));
      return events.map((event, index) => ({
        ...event,
        id: ids[index]!,
        reason: event.reason ?? null,
        detail: event.detail ?? null,
        createdAt: createdAt.get(ids[index]!)!,
      }));
    },
  };
}

async function announce(events: ConnectionEvent[]): Promise<void> {
  for (const event of events) {
    for (const handler of hooks) {
      try {
        await handler(event);
      } catch (error) {
        log.error("connection_event.handler_failed", {
          provider: event.provider,
          accountId: event.accountId,
          userId: event.userId,
          reason: `${event.type}: ${describeError(error)}`,
        });
      }
    }
  }
}

type EventRow = Omit<ConnectionEvent, "type"> & { type: string };

/** The latest `limit` events of each of the user's accounts, newest first. */
export async function recentEvents(userId: string, limit = 10): Promise<Map<string, ConnectionEvent[]>> {
  const rows = await getDb().$queryRaw<EventRow[]>`
    SELECT id, type, "userId", "accountId", provider, reason, detail, "createdAt" FROM (
      SELECT *, row_number() OVER (PARTITION BY "accountId" ORDER BY "createdAt" DESC, seq DESC) AS rank
      FROM "ConnectionEvent" WHERE "userId" = ${userId}
    ) AS ranked
    WHERE rank <= ${limit}
    ORDER BY "createdAt" DESC, seq DESC`;
  const byAccount = new Map<string, ConnectionEvent[]>();
  for (const row of rows) {
    const events = byAccount.get(row.accountId) ?? [];
    events.push(row as ConnectionEvent);
    byAccount.set(row.accountId, events);
  }
  return byAccount;
}
