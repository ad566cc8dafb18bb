import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../db";
import { endOtherSessions, listSessions, noteSessionSeen } from "./sessions";

const db = getDb();
afterAll(() => db.$disconnect());
afterEach(() => vi.useRealTimers());

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function userWithSessions(count: number) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  const sessions = [];
  for (let index = 0; index < count; index++) {
    sessions.push(
      await db.session.create({
        data: { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 86_400_000) },
      }),
    );
  }
  return { user, sessions };
}

const seen = (id: string) =>
  db.session.findUniqueOrThrow({ where: { id }, select: { userAgent: true, lastSeenAt: true } });

describe("noteSessionSeen", () => {
  it("notes the device and time on first use, then at most once a minute by the database's clock", async () => {
    const {
      sessions: [session],
    } = await userWithSessions(1);
    await noteSessionSeen(session!.id, FIREFOX);
    const first = await seen(session!.id);
    expect(first.userAgent).toBe(FIREFOX);
    expect(first.lastSeenAt).toBeInstanceOf(Date);

    // The app's clock ten minutes fast changes nothing: only the database's clock counts.
    vi.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ["Date"] });
    await noteSessionSeen(session!.id, SAFARI_IOS);
    expect(await seen(session!.id)).toEqual(first);
    vi.useRealTimers();

    await db.$executeRaw`UPDATE "Session" SET "lastSeenAt" = now() - interval '61 seconds' WHERE id = ${session!.id}`;
    await noteSessionSeen(session!.id, SAFARI_IOS);
    const later = await seen(session!.id);
    expect(later.userAgent).toBe(SAFARI_IOS);
    expect(later.lastSeenAt!.getTime()).toBeGreaterThan(first.lastSeenAt!.getTime());
  });

  it("asks the database nothing for a session this process noted less than a minute ago", async () => {
    const {
      sessions: [session],
    } = await userWithSessions(1);
    await noteSessionSeen(session!.id, FIREFOX);
    await db.$executeRaw`UPDATE "Session" SET "lastSeenAt" = now() - interval '61 seconds' WHERE id = ${session!.id}`;
    const before = await seen(session!.id);
    await noteSessionSeen(session!.id, SAFARI_IOS);
    expect(await seen(session!.id)).toEqual(before);

    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    await noteSessionSeen(session!.id, SAFARI_IOS);
    expect((await seen(session!.id)).userAgent).toBe(SAFARI_IOS);
  });

  it("keeps at most 512 characters of a User-Agent", async () => {
    const {
      sessions: [session],
    } = await userWithSessions(1);
    await noteSessionSeen(session!.id, `${FIREFOX} ${"x".repeat(10_000)}`);
    expect((await seen(session!.id)).userAgent).toHaveLength(512);
  });
});

describe("listSessions and endOtherSessions", () => {
  it("lists this session first with its device, and leaves out expired sessions", async () => {
    const { user, sessions } = await userWithSessions(3);
    const [current, other, expired] = sessions;
    await noteSessionSeen(other!.id, SAFARI_IOS);
    await db.session.update({ where: { id: expired!.id }, data: { expires: new Date(Date.now() - 1000) } });
    const listed = await listSessions({ id: user.id, sessionId: current!.id });
    expect(listed.map(({ id, device, current }) => ({ id, device, current }))).toEqual([
      { id: current!.id, device: "Unknown device", current: true },
      { id: other!.id, device: "Safari on iOS", current: false },
    ]);
  });

  it("signs out one other session, or all the others, never this one nor another user's", async () => {
    const alice = await userWithSessions(3);
    const bob = await userWithSessions(2);
    const [aliceHere, aliceOne] = alice.sessions.map((session) => session.id);
    const me = { id: alice.user.id, sessionId: aliceHere! };

    expect(await endOtherSessions(me, { sessionId: bob.sessions[1]!.id })).toBe(0);
    expect(await endOtherSessions(me, { sessionId: aliceHere! })).toBe(0);
    expect(await db.session.count({ where: { userId: bob.user.id } })).toBe(2);

    expect(await endOtherSessions(me, { sessionId: aliceOne! })).toBe(1);
    expect(await db.session.findMany({ where: { userId: alice.user.id }, select: { id: true } })).toHaveLength(2);

    expect(await endOtherSessions(me, "others")).toBe(1);
    const left = await db.session.findMany({ where: { userId: alice.user.id }, select: { id: true } });
    expect(left).toEqual([{ id: aliceHere }]);
    expect(await db.session.count({ where: { userId: bob.user.id } })).toBe(2);
  });
});
