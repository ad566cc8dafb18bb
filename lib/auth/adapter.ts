import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { PrismaClient } from "@prisma/client";
import type { Adapter } from "next-auth/adapters";
import { createLinkedAccount } from "../connected-accounts/record-sign-in";

/** The Prisma adapter, with account writes going through our own column mapping. */
export function createAdapter(db: PrismaClient): Adapter {
  return {
    ...PrismaAdapter(db),
    linkAccount: (account) => createLinkedAccount(db, account),
  };
}
