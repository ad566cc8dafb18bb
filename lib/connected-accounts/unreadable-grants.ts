import pg from "pg";
import type { TokenKeyring } from "../token-keyring";
import { openTokenColumn } from "./sealed-tokens";
import { isEncrypted, TokenDecryptionError } from "./token-crypto";

/**
 * The accounts whose stored grant no key of `keyring` opens: what a replaced TOKEN_ENCRYPTION_KEY
 * (a deleted .env.local, say) leaves behind. The grant is the refresh token, else the access token,
 * as the account list reads it (list.ts). `npm run dev` asks before the app starts, on its own
 * connection.
 */
export async function accountsWithUnreadableGrants(databaseUrl: string, keyring: TokenKeyring): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      id: string;
      userId: string;
      provider: string;
      providerAccountId: string;
      refresh_token: string | null;
      access_token: string | null;
    }>(`SELECT id, "userId", provider, "providerAccountId", refresh_token, access_token FROM "Account"
        WHERE refresh_token IS NOT NULL OR access_token IS NOT NULL`);
    return rows
      .filter((row) => {
        const column = row.refresh_token === null ? "access_token" : "refresh_token";
        const stored = row[column]!;
        if (!isEncrypted(stored)) return false;
        try {
          openTokenColumn(row, column, stored, keyring);
          return false;
        } catch (error) {
          if (error instanceof TokenDecryptionError) return true;
          throw error;
        }
      })
      .map((row) => row.id);
  } finally {
    await client.end();
  }
}
