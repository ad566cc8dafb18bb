import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { displayNameField, readProfile, renameUser } from "./profile";

const db = getDb();
afterAll(() => db.$disconnect());

describe("the display name", () => {
  it.each([
    ["  Alice Example  ", "Alice Example"],
    ["Zoë Ωmega 山田", "Zoë Ωmega 山田"],
    ["👩‍💻 Dev", "👩‍💻 Dev"],
  ])("accepts %j", (input, stored) => {
    expect(displayNameField.parse(input)).toBe(stored);
  });

  it.each([
    ["", "Enter a name."],
    ["   ", "Enter a name."],
    ["x".repeat(101), "Use at most 100 characters."],
    ["Alice\u0000", "Use letters, digits, spaces and punctuation only."],
    ["Alice\nAdmin", "Use letters, digits, spaces and punctuation only."],
    ["evil\u202Egnp.exe", "Use letters, digits, spaces and punctuation only."],
  ])("refuses %j", (input, message) => {
    const parsed = displayNameField.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(message);
  });

  it("renames only the user's own row", async () => {
    const [alice, bob] = await Promise.all(
      ["Alice", "Bob"].map((name) => db.user.create({ data: { name, email: `${randomUUID()}@example.com` } })),
    );
    await renameUser(alice!.id, " Alice B. ");
    expect(await readProfile(alice!.id)).toMatchObject({ name: "Alice B.", email: alice!.email });
    expect((await readProfile(bob!.id))?.name).toBe("Bob");
    await expect(renameUser(alice!.id, "")).rejects.toThrow();
  });
});
