import "server-only";
import { getDb } from "../db";
import { openTokenColumn, sealTokenColumns, TOKEN_COLUMNS, currentKeyId, type TokenColumn } from "./sealed-tokens";
import { isEncrypted, TokenDecryptionError } from "./token-crypto";

export type ReencryptReport = {
  accounts: number;
  rewritten: number;
  plaintextEncrypted: number;
  /** Rows no listed key opens (their key was dropped too early): left untouched, listed here. */
  undecryptable: string[];
};

/**
 * Rewrites every stored token with the current key (the first in TOKEN_ENCRYPTION_KEY): run it
 * after putting a new key first, then drop the old key once it reports nothing left to rewrite.
 * Tokens stored in plaintext (e.g. by a plain Auth.js setup before this one) get encrypted too.
 */
export async function reencryptAllTokens(): Promise<ReencryptReport> {
  const db = getDb();
  const report: ReencryptReport = { accounts: 0, rewritten: 0, plaintextEncrypted: 0, undecryptable: [] };
  const prefix = `enc:v1:${currentKeyId()}:`;
  const ids = await db.account.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  for (const { id } of ids) {
    report.accounts += 1;
    await db.$transaction(async (tx) => {
      // Locked like a refresh, so a concurrent refresh cannot be overwritten with older tokens.
      await tx.$executeRaw`SELECT 1 FROM "Account" WHERE id = ${id} FOR UPDATE`;
      const row = await tx.account.findUnique({ where: { id } });
      if (!row) return;
      const plain: Partial<Record<TokenColumn, string>> = {};
      let plaintextColumns = 0;
      try {
        for (const column of TOKEN_COLUMNS) {
          const stored = row[column];
          if (stored === null || stored.startsWith(prefix)) continue;
          if (!isEncrypted(stored)) plaintextColumns += 1;
          plain[column] = isEncrypted(stored) ? openTokenColumn(row, column, stored)! : stored;
        }
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        report.undecryptable.push(id);
        return;
      }
      if (Object.keys(plain).length === 0) return;
      report.plaintextEncrypted += plaintextColumns;
      await tx.account.update({ where: { id }, data: { ...sealTokenColumns(row, plain), version: { increment: 1 } } });
      report.rewritten += 1;
    });
  }
  return report;
}
