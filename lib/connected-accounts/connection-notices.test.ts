import { describe, expect, it } from "vitest";
import { authorizeGithub, authorizeGoogle } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { googleProfile, googleUser } from "../../test/vitest/google-user";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { activeNotices, dismissNotice, registerConnectionHooks } from "./connection-notices";
import { recordSignIn } from "./record-sign-in";
import { unlinkAccount } from "./unlink";

const stack = sandboxAndDatabaseForThisFile();
registerConnectionHooks();
registerConnectionHooks(); // idempotent: one handler, one notice

/** Revokes the grant at the sandbox; the next Google call finds out and marks the account. */
async function revokeAndFindOut(email: string, userId: string) {
  await stack.control().revoke({ email });
  expect(await googleProfile(stack, userId)).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
}

describe("the needs-reconnect notice", () => {
  it("appears when the account needs reconnecting, once, and goes when it signs in again", async () => {
    const email = "notice-recovered@example.com";
    const { userId, accountId, providerAccountId } = await googleUser(stack, email);
    expect(await activeNotices(userId)).toEqual([]);

    await revokeAndFindOut(email, userId);
    const notices = await activeNotices(userId);
    expect(notices).toEqual([
      { id: expect.any(String), kind: "needs_reconnect", provider: "google", accountId, createdAt: expect.any(Date) },
    ]);
    expect(await stack.db().notice.count({ where: { accountId } })).toBe(1);

    const again = await authorizeGoogle(stack.sandbox().url, { email });
    await recordSignIn(
      stack.db(),
      { provider: "google", providerAccountId, ...again, token_type: "bearer" } as Parameters<typeof recordSignIn>[1],
      {},
    );
    expect(await activeNotices(userId)).toEqual([]);
    expect(await stack.db().notice.findFirstOrThrow({ where: { accountId } })).toMatchObject({
      dismissedAt: expect.any(Date),
    });
  });

  it("dismissed by its owner only; a forged or repeated id changes nothing", async () => {
    const owner = await googleUser(stack, "notice-owner@example.com");
    const other = await googleUser(stack, "notice-other@example.com");
    await revokeAndFindOut("notice-owner@example.com", owner.userId);
    const [notice] = await activeNotices(owner.userId);

    expect(await dismissNotice(other.userId, notice!.id)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await dismissNotice(owner.userId, "no-such-notice")).toMatchObject({ ok: false });
    expect(await activeNotices(owner.userId)).toHaveLength(1);

    expect(await dismissNotice(owner.userId, notice!.id)).toEqual({ ok: true });
    expect(await activeNotices(owner.userId)).toEqual([]);
    expect(await dismissNotice(owner.userId, notice!.id)).toMatchObject({ ok: false });
  });

  it("goes when the account is disconnected", async () => {
    const email = "notice-unlinked@example.com";
    const google = await googleUser(stack, email);
    await linkedUser(stack.db(), "github", await authorizeGithub(stack.sandbox().url, { email }), google.userId);
    await revokeAndFindOut(email, google.userId);
    expect(await activeNotices(google.userId)).toHaveLength(1);
    expect(await unlinkAccount(google.userId, google.accountId)).toMatchObject({ ok: true });
    expect(await activeNotices(google.userId)).toEqual([]);
    expect(await stack.db().notice.findFirstOrThrow({ where: { accountId: google.accountId } })).toMatchObject({
      dismissedAt: expect.any(Date),
    });
  });
});
