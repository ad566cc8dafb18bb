import "server-only";
import { getDb } from "../db";
import { currentKeyring, openTokenColumn, sealTokenColumns, TOKEN_COLUMNS, type TokenColumn } from "./sealed-tokens";
import { isEncrypted, isSealedWithCurrentKey, TokenDecryptionError } from "./token-crypto";

export type ReencryptReport = {
  accounts: number;
  rewritten: number;
  plaintextEncrypted: number;
  /** Rows already on the current key: each of their tokens was opened with it, not judged by its key id. */
  alreadyCurrent: number;
  /** Rows no listed key opens (their key was dropped too early, or replaced under the same id): left untouched. */
  undecryptable: string[];
};

/**
 * Rewrites every stored token with the current key (the first in TOKEN_ENCRYPTION_KEY): run it
 * after putting a new key first, then drop the old key once it reports nothing left to rewrite.
 * Every token is decrypted, also those that already name the current key, so `undecryptable: []`
 * proves the current key opens every row. Plaintext tokens (e.g. from a plain Auth.js setup)
 * get encrypted too.
 */
export async function reencryptAllTokens(): Promise<ReencryptReport> {
  const db = getDb();
  const ring = currentKeyring();
  const report: ReencryptReport = {
    accounts: 0,
    rewritten: 0,
    plaintextEncrypted: 0,
    alreadyCurrent: 0,
    undecryptable: [],
  };
  const ids = await db.account.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of ids) {
    report.accounts += 1;
    await db.$transaction(async (tx) => {
      // Locked like a refresh, so a concurrent refresh cannot be overwritten with older tokens.
      await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${id} FOR UPDATE`;
      const row = await tx.account.findUnique({ where: { id } });
      if (!row) return;
      const stale: Partial<Record<TokenColumn, string>> = {};
      let plaintextColumns = 0;
      try {
        for (const column of TOKEN_COLUMNS) {
          const stored = row[column];
          if (stored === null) continue;
          if (!isEncrypted(stored)) plaintextColumns += 1;
          const plain = isEncrypted(stored) ? openTokenColumn(row, column, stored)! : stored;
          if (!isSealedWithCurrentKey(ring, stored)) stale[column] = plain;
        }
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        report.undecryptable.push(id);
        return;
      }
      if (Object.keys(stale).length === 0) {
        report.alreadyCurrent += 1;
        return;
      }
      report.plaintextEncrypted += plaintextColumns;
      await tx.account.update({ where: { id }, data: { ...sealTokenColumns(row, stale), version: { increment: 1 } } });
      report.rewritten += 1;
    });
  }
  return report;
}
