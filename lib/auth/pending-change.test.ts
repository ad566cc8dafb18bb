import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { readAccountChange, signAccountChange, spendAccountChange, type AccountChange } from "./pending-change";

const db = getDb();
afterAll(() => db.$disconnect());

const user = () => ({ id: randomUUID(), name: null, email: null, image: null, sessionId: randomUUID() });

describe("a signed account change", () => {
  it("is good once: of two uses at once, exactly one goes through; a later one is refused", async () => {
    const alice = user();
    const token = signAccountChange(alice, { kind: "unlink", accountId: "a1" });
    const spent = await Promise.all(Array.from({ length: 5 }, () => spendAccountChange(alice, token)));
    expect(spent.filter(Boolean)).toHaveLength(1);
    expect(await spendAccountChange(alice, token)).toBeUndefined();
    // Reading it (to ask the user to confirm first) does not use it.
    expect(readAccountChange(alice, token)).toEqual({ kind: "unlink", accountId: "a1" });
  });

  it("two changes signed alike in the same second are two changes", async () => {
    const alice = user();
    const change: AccountChange = { kind: "link", provider: "github", scopes: [] };
    const [first, second] = [signAccountChange(alice, change), signAccountChange(alice, change)];
    expect(await spendAccountChange(alice, first)).toEqual(change);
    expect(await spendAccountChange(alice, second)).toEqual(change);
  });

  it("is refused for another session or user, or tampered, and then stays good for its own", async () => {
    const alice = user();
    const token = signAccountChange(alice, { kind: "unlink", accountId: "a2" });
    expect(await spendAccountChange({ ...alice, sessionId: randomUUID() }, token)).toBeUndefined();
    expect(await spendAccountChange(user(), token)).toBeUndefined();
    expect(await spendAccountChange(alice, `${token}x`)).toBeUndefined();
    expect(await spendAccountChange(alice, token)).toEqual({ kind: "unlink", accountId: "a2" });
  });

  it("forgets used changes 30 minutes after their use (twice their lifetime), as changes are spent", async () => {
    const [old, young] = [`old-${randomUUID()}`, `young-${randomUUID()}`];
    await db.$executeRaw`INSERT INTO "UsedAccountChange" (id, "usedAt") VALUES
      (${old}, now() - interval '31 minutes'), (${young}, now() - interval '29 minutes')`;
    const alice = user();
    await spendAccountChange(alice, signAccountChange(alice, { kind: "unlink", accountId: "a3" }));
    const left = await db.usedAccountChange.findMany({ where: { id: { in: [old, young] } }, select: { id: true } });
    expect(left).toEqual([{ id: young }]);
  });
});
