import "server-only";
import { z } from "zod";
import { readSignedValue, signValue } from "../auth/signed-value";
import type { SignedInUser } from "../auth/require-user";

/**
 * A change that waits for the user to confirm who they are: a link, an unlink, or signing out other
 * sessions (`sessionId` null: all of them). Signed, and good only for the session that asked, for a
 * few minutes (the confirmation at the provider comes first).
 */
export type AccountChange =
  | { kind: "link"; provider: string; scopes: string[] }
  | { kind: "unlink"; accountId: string }
  | { kind: "sign_out"; sessionId: string | null };

const accountChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("link"), provider: z.string(), scopes: z.array(z.string()) }),
  z.object({ kind: z.literal("unlink"), accountId: z.string() }),
  z.object({ kind: z.literal("sign_out"), sessionId: z.string().nullable() }),
]);
const boundSchema = z.object({ userId: z.string(), sessionId: z.string(), change: accountChangeSchema });

const CHANGE_TTL_SECONDS = 15 * 60;

export function signAccountChange(user: SignedInUser, change: AccountChange): string {
  return signValue("account-change", { userId: user.id, sessionId: user.sessionId, change }, CHANGE_TTL_SECONDS);
}

/** The change `token` carries, if it was signed for this user's current session and is still valid. */
export function readAccountChange(user: SignedInUser, token: unknown): AccountChange | undefined {
  const parsed = boundSchema.safeParse(readSignedValue("account-change", token));
  if (!parsed.success || parsed.data.userId !== user.id || parsed.data.sessionId !== user.sessionId) return undefined;
  return parsed.data.change;
}
