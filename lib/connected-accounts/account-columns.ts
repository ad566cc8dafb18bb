import "server-only";
import { Prisma } from "@prisma/client";

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
