import { describe, expect, it } from "vitest";
import { currentKeyring, openTokenColumn, sealTokenColumns } from "./sealed-tokens";
import { encryptToken, TokenDecryptionError } from "./token-crypto";

const account = { userId: "user-1", provider: "google", providerAccountId: "1234" };

describe("sealed token columns", () => {
  it("bind a token to its user: the same row moved to another user no longer opens", () => {
    const sealed = sealTokenColumns(account, { access_token: "ya29.secret" });
    expect(openTokenColumn(account, "access_token", sealed.access_token!)).toBe("ya29.secret");
    expect(() => openTokenColumn({ ...account, userId: "user-2" }, "access_token", sealed.access_token!)).toThrow(
      TokenDecryptionError,
    );
    expect(() => openTokenColumn(account, "refresh_token", sealed.access_token!)).toThrow(TokenDecryptionError);
  });

  it("still open tokens sealed before the user was part of the associated data (enc:v1)", () => {
    const v1 = encryptToken(currentKeyring(), "legacy", "google:1234:access_token").replace(/^enc:v2:/, "enc:v1:");
    expect(openTokenColumn(account, "access_token", v1)).toBe("legacy");
    // Relabelling a current token as v1 does not drop the user from the check.
    const v2 = sealTokenColumns(account, { access_token: "current" }).access_token!;
    expect(() => openTokenColumn(account, "access_token", v2.replace(/^enc:v2:/, "enc:v1:"))).toThrow(
      TokenDecryptionError,
    );
  });
});
