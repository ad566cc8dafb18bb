import { describe, expect, it } from "vitest";
import { generateKeyEntry, parseKeyring } from "../token-keyring";
import { decryptToken, encryptToken, isEncrypted, TokenDecryptionError } from "./token-crypto";

const oldEntry = generateKeyEntry("k1");
const newEntry = generateKeyEntry("k2");

describe("token encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const keyring = parseKeyring(oldEntry);
    const sealed = encryptToken(keyring, "ya29.secret-access-token", "google:123:access_token");
    expect(isEncrypted(sealed)).toBe(true);
    expect(sealed).not.toContain("secret-access-token");
    expect(sealed.startsWith("enc:v2:k1:")).toBe(true);
    expect(decryptToken(keyring, sealed, "google:123:access_token")).toBe("ya29.secret-access-token");
  });

  it("uses a fresh IV each time", () => {
    const keyring = parseKeyring(oldEntry);
    expect(encryptToken(keyring, "t", "c")).not.toBe(encryptToken(keyring, "t", "c"));
  });

  it("rotates: old key ids still decrypt, new writes use the first key", () => {
    const before = encryptToken(parseKeyring(oldEntry), "token", "ctx");
    const rotated = parseKeyring(`${newEntry},${oldEntry}`);
    expect(decryptToken(rotated, before, "ctx")).toBe("token");
    expect(encryptToken(rotated, "token", "ctx").startsWith("enc:v2:k2:")).toBe(true);
  });

  it("gives a clear error for a dropped key, a wrong key, another row's ciphertext or tampering", () => {
    const sealed = encryptToken(parseKeyring(oldEntry), "token", "google:1:access_token");
    expect(() => decryptToken(parseKeyring(newEntry), sealed, "google:1:access_token")).toThrow(
      /key "k1", which TOKEN_ENCRYPTION_KEY no longer lists/,
    );
    const impostor = parseKeyring(generateKeyEntry("k1"));
    expect(() => decryptToken(impostor, sealed, "google:1:access_token")).toThrow(TokenDecryptionError);
    expect(() => decryptToken(parseKeyring(oldEntry), sealed, "google:2:access_token")).toThrow(/altered/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(() => decryptToken(parseKeyring(oldEntry), tampered, "google:1:access_token")).toThrow(TokenDecryptionError);
  });

  it("accepts only full 16-byte authentication tags", () => {
    const keyring = parseKeyring(oldEntry);
    const sealed = encryptToken(keyring, "", "ctx"); // empty plaintext: the body is the tag alone
    const parts = sealed.split(":");
    const tag = Buffer.from(parts.at(-1)!, "base64url");
    expect(tag).toHaveLength(16);
    for (const length of [0, 4, 8, 12, 15]) {
      const truncated = [...parts.slice(0, -1), tag.subarray(0, length).toString("base64url")].join(":");
      expect(() => decryptToken(keyring, truncated, "ctx"), `${length}-byte tag`).toThrow(TokenDecryptionError);
    }
  });

  it("refuses a keyring that lists one key id twice: a token could not tell which key sealed it", () => {
    expect(() => parseKeyring(`${generateKeyEntry("k1")},${generateKeyEntry("k2")},${generateKeyEntry("k1")}`)).toThrow(
      /TOKEN_ENCRYPTION_KEY lists key id "k1" twice/,
    );
  });

  it("generates a unique key id each time, even on the same day", () => {
    const ids = Array.from({ length: 200 }, () => generateKeyEntry().split(":")[0]);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^k\d{8}-[0-9a-f]{8}$/);
  });

  it("rejects malformed key settings with the variable's name", () => {
    expect(() => parseKeyring("nocolon")).toThrow(/TOKEN_ENCRYPTION_KEY/);
    expect(() => parseKeyring("k1:c2hvcnQ=")).toThrow(/must be 32 bytes/);
    expect(() => parseKeyring("")).toThrow(/empty/);
  });
});
