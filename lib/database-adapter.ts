import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import { DriverAdapterError, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { databaseFault } from "./database-fault";
import { databaseFaultLine } from "./database-fault-line";
import { poolConfigFromUrl } from "./database-url";

/**
 * The pg driver adapter for `databaseUrl` (the app's client and the migrate CLI), whose connection
 * faults say which server and what happened. @prisma/adapter-pg rethrows the driver errors it does
 * not recognise (a connect timeout, a connection that died mid-query) as they are, and Prisma's
 * adapter binding files those away and reports only "External error id#0". Faults leave here as
 * the adapter's own error instead, with the line as message and the fault for databaseFault().
 */
export function createDatabaseAdapter(
  databaseUrl: string,
  poolOptions: Pick<PoolConfig, "allowExitOnIdle" | "lock_timeout"> = {},
): SqlMigrationAwareDriverAdapterFactory {
  const config = { ...poolConfigFromUrl(databaseUrl), ...poolOptions };
  const describe = (error: unknown): never => {
    const fault = databaseFault(error);
    if (!fault) throw error;
    const message = databaseFaultLine(fault, config);
    const code = fault.code ?? "N/A";
    // Prisma shows `message` for model queries and `originalMessage` for raw ones.
    throw new DriverAdapterError({
      kind: "postgres",
      code,
      severity: "FATAL",
      message,
      originalCode: code,
      originalMessage: message,
      databaseFault: fault,
    } as never);
  };
  return describingFaults(new PrismaPg(config), describe);
}

/** `target` with every method's failure passed to `describe`, and the adapters and transactions it returns wrapped alike. */
function describingFaults<T extends object>(target: T, describe: (error: unknown) => never): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const wrap = (result: unknown) => (isQueryable(result) ? describingFaults(result, describe) : result);
        try {
          const result: unknown = value.apply(object, args);
          return result instanceof Promise ? result.then(wrap, describe) : wrap(result);
        } catch (error) {
          return describe(error);
        }
      };
    },
  });
}

function isQueryable(value: unknown): value is object {
  return typeof value === "object" && value !== null && "queryRaw" in value;
}
