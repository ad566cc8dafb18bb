import { expect, it } from "vitest";
import { authorizeGoogle } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { loggedLines } from "../../test/vitest/capture-logs";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { getGoogleProfile, listRecentDriveFiles } from "./api";
import { GOOGLE_SCOPES } from "./scopes";

const stack = sandboxAndDatabaseForThisFile();

it("only a call Google answered counts as a use of the account: a refused scope is no use", async () => {
  const tokens = await authorizeGoogle(stack.sandbox().url, { email: "use-counts@example.com" });
  const { userId, providerAccountId } = await linkedUser(stack.db(), "google", tokens);
  const where = { provider_providerAccountId: { provider: "google", providerAccountId } };
  // Our record says Drive was granted; Google's token does not carry it (withdrawn at Google).
  const row = await stack.db().account.update({
    where,
    data: { grantedScopes: { push: GOOGLE_SCOPES.driveFiles[0] } },
  });

  const drive = await listRecentDriveFiles(userId);
  expect(drive).toMatchObject({ ok: false, error: { code: "missing_scopes" } });
  expect(await stack.db().account.findUniqueOrThrow({ where })).toMatchObject({
    lastUsedAt: null,
    lastUsedFeature: null,
  });
  expect(loggedLines()).toEqual([expect.stringMatching(/^warn google_api\.failed .*code=missing_scopes/)]);

  const profile = await getGoogleProfile(userId);
  expect(profile).toMatchObject({ ok: true, use: { accountId: row.id, feature: "Profile" } });
  expect(await stack.db().account.findUniqueOrThrow({ where })).toMatchObject({ lastUsedFeature: "Profile" });
});
