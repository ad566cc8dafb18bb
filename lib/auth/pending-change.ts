import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { readSignedValue, signValue } from "./signed-value";
import type { SignedInUser } from "./require-user";
import { getDb } from "../db";

/**
 * A change that waits for the user to confirm who they are: a link, an unlink, adding or removing a
 * passkey, signing out other sessions (`sessionId` null: all of them), or giving an agent access. Signed, and good only for
 * the session that asked, once, for a few minutes (the confirmation at the provider comes first).
 */
export type AccountChange =
  | { kind: "link"; provider: string; scopes: string[] }
  | { kind: "unlink"; accountId: string }
  | { kind: "add_passkey" }
  | { kind: "remove_passkey"; credentialID: string }
  | { kind: "sign_out"; sessionId: string | null }
  // Back to an agent's consent page (its path and query), which needs a recent sign-in to be approved.
  | { kind: "authorize_agent"; consentPath: string };

const accountChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("link"), provider: z.string(), scopes: z.array(z.string()) }),
  z.object({ kind: z.literal("unlink"), accountId: z.string() }),
  z.object({ kind: z.literal("add_passkey") }),
  z.object({ kind: z.literal("remove_passkey"), credentialID: z.string() }),
  z.object({ kind: z.literal("sign_out"), sessionId: z.string().nullable() }),
  z.object({ kind: z.literal("authorize_agent"), consentPath: z.string().startsWith("/oauth/authorize?") }),
]);
// `id` makes each signed change one of its own, to be carried out once (spendAccountChange).
const boundSchema = z.object({
  id: z.string(),
  userId: z.string(),
  sessionId: z.string(),
  change: accountChangeSchema,
});

const CHANGE_TTL_SECONDS = 15 * 60;

export function signAccountChange(user: SignedInUser, change: AccountChange): string {
  const bound = { id: randomUUID(), userId: user.id, sessionId: user.sessionId, change };
  return signValue("account-change", bound, CHANGE_TTL_SECONDS);
}

/** The change `token` carries, if it was signed for this user's current session and is still valid. */
export function readAccountChange(user: SignedInUser, token: unknown): AccountChange | undefined {
  return readBound(user, token)?.change;
}

/**
 * The change `token` carries, as readAccountChange, noted as carried out: undefined when it was
 * before. One statement, so of two uses at once exactly one gets the change. Notes twice the
 * change's lifetime old are deleted in the same statement: their change is refused by age by then.
 */
export async function spendAccountChange(user: SignedInUser, token: unknown): Promise<AccountChange | undefined> {
  const bound = readBound(user, token);
  if (!bound) return undefined;
  const inserted = await getDb().$executeRaw`
    WITH forgotten AS (
      DELETE FROM "UsedAccountChange" WHERE "usedAt" < now() - make_interval(secs => ${2 * CHANGE_TTL_SECONDS})
    )
    INSERT INTO "UsedAccountChange" (id) VALUES (${bound.id}) ON CONFLICT DO NOTHING`;
  return inserted === 1 ? bound.change : undefined;
}

function readBound(user: SignedInUser, token: unknown): z.infer<typeof boundSchema> | undefined {
  const parsed = boundSchema.safeParse(readSignedValue("account-change", token));
  if (!parsed.success || parsed.data.userId !== user.id || parsed.data.sessionId !== user.sessionId) return undefined;
  return parsed.data;
}
