import "server-only";
import { Prisma, type Account } from "@prisma/client";

/**
 * Every column of the Account model, by name, for the raw statements on the token path. Named
 * rather than `*`: a column the code expects but the database lacks (a deploy whose migration has
 * not run) fails the statement, as Prisma's own reads do, instead of leaving a field undefined,
 * which would read as, say, no refresh token stored. `table` qualifies them (`claimed`.`id`).
 */
export function accountColumns(table?: string): Prisma.Sql {
  const prefix = table ? `"${table}".` : "";
  return Prisma.raw(
    Object.values(Prisma.AccountScalarFieldEnum)
      .map((column) => `${prefix}"${column}"`)
      .join(", "),
  );
}

/** The Account columns a refresh writes, with their types: the raw write's SET (`accountSet`). */
const WRITTEN_COLUMN_TYPES = {
  access_token: "text",
  refresh_token: "text",
  id_token: "text",
  expires_at: "integer",
  refresh_token_expires_at: "integer",
  token_type: "text",
  scope: "text",
  session_state: "text",
  authorization_details: "jsonb",
  grantedScopes: "text[]",
  status: '"AccountStatus"',
  refreshFailures: "integer",
  sweepRetryAt: "timestamptz",
  refreshLeaseId: "text",
  refreshLeaseUntil: "timestamptz",
} as const;

type WrittenColumn = keyof typeof WRITTEN_COLUMN_TYPES;

/** A write of some of those columns: undefined keeps what is stored, null clears it. */
export type AccountWrite = Partial<Omit<Pick<Account, WrittenColumn>, "authorization_details">> & {
  authorization_details?: Prisma.InputJsonValue;
};

/**
 * The SET list of `write` for a raw UPDATE of "Account", with what Prisma's own update adds:
 * `version` moved on and `updatedAt` stamped (on the database's clock).
 */
export function accountSet(write: AccountWrite): Prisma.Sql {
  const assignments = Object.entries(write).flatMap(([column, value]) => {
    if (value === undefined) return [];
    if (!Object.hasOwn(WRITTEN_COLUMN_TYPES, column))
      throw new Error(`accountSet: ${column} is not a column a refresh writes`);
    const type = WRITTEN_COLUMN_TYPES[column as WrittenColumn];
    const parameter = type === "jsonb" && value !== null ? JSON.stringify(value) : value;
    return [Prisma.sql`${Prisma.raw(`"${column}"`)} = ${parameter}::${Prisma.raw(type)}`];
  });
  return Prisma.join([
    ...assignments,
    Prisma.sql`version = version + 1`,
    Prisma.sql`"updatedAt" = now() AT TIME ZONE 'UTC'`,
  ]);
}
