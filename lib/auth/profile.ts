import "server-only";
import { z } from "zod";
import { getDb } from "../db";

export type Profile = {
  name: string | null;
  /** Only ever an address a provider verified (adapter.ts), or null. */
  email: string | null;
  image: string | null;
  createdAt: Date;
};

export async function readProfile(userId: string): Promise<Profile | null> {
  return getDb().user.findUnique({
    where: { id: userId },
    select: { name: true, email: true, image: true, createdAt: true },
  });
}

// Control characters and the bidirectional overrides that make a name display as something else.
const HIDDEN_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** The name a user may give themselves: 1 to 100 characters once trimmed, nothing hidden in it. */
export const displayNameField = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine((name) => !HIDDEN_CHARACTERS.test(name), "Use letters, digits, spaces and punctuation only.");

/** Renames the user: only the user's own row, whoever asks. */
export async function renameUser(userId: string, name: string): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { name: displayNameField.parse(name) } });
}
