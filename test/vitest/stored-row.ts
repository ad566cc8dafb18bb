import type { PrismaClient } from "@prisma/client";

/** The Account row as stored now, by its provider's id for the account. */
export function storedRow(db: PrismaClient, providerAccountId: string) {
  return db.account.findFirstOrThrow({ where: { providerAccountId } });
}
