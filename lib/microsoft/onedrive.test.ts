import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authorizeMicrosoft } from "../../sandbox/test-client";
import { linkedUser } from "../../scripts/lib/linked-account";
import { sandboxAndDatabaseForThisFile } from "../../test/vitest/sandbox-and-database";
import { listRecentOneDriveFiles, ONEDRIVE_SCOPE } from ".";

const stack = sandboxAndDatabaseForThisFile();
const CP1 = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });

async function microsoftUser(scope: string, email = `${randomUUID()}@example.com`) {
  const tokens = await authorizeMicrosoft(stack.sandbox().url, { email, scope, claims: CP1 });
  return { email, ...(await linkedUser(stack.db(), "microsoft-entra-id", tokens)) };
}

describe("the Microsoft 365 demo: recent OneDrive files", () => {
  it("asks for Files.Read first (Grant access), then lists the files", async () => {
    const signedIn = await microsoftUser("openid profile email offline_access");
    expect(await listRecentOneDriveFiles(signedIn.userId)).toMatchObject({
      ok: false,
      error: { code: "missing_scopes", missingScopes: [ONEDRIVE_SCOPE] },
    });
    const granted = await microsoftUser(`openid profile email offline_access ${ONEDRIVE_SCOPE}`);
    const files = await listRecentOneDriveFiles(granted.userId, 3);
    expect(files.ok && files.files.map((file) => file.name)).toHaveLength(3);
  });

  it("a claims challenge offers to sign in again with the claims", async () => {
    const user = await microsoftUser(`openid profile email offline_access ${ONEDRIVE_SCOPE}`);
    await stack.control().cae(true, user.email);
    const challenged = await listRecentOneDriveFiles(user.userId);
    expect(challenged).toMatchObject({ ok: false, error: { code: "reconnect_required" } });
    expect(challenged.ok || JSON.parse(challenged.error.claimsChallenge!)).toHaveProperty("access_token.nbf");
  });
});
