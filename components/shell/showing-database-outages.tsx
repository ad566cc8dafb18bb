import "server-only";
import type { ReactNode } from "react";
import { RetryingUnavailable } from "@/components/ui/retrying-unavailable";
import { isDatabaseUnavailable } from "@/lib/database-fault";
import { logDatabaseFault } from "@/lib/db";

/**
 * A page or layout that, when the database is down, renders the retrying *Temporarily unavailable*
 * page instead of throwing. Thrown, the outage would reach app/error.tsx through Next.js, which
 * logs a 20-line stack per request, and React would report it in the browser's console (error #441).
 */
export function showingDatabaseOutages<Props>(render: (props: Props) => Promise<ReactNode>) {
  return async function ShowingDatabaseOutages(props: Props): Promise<ReactNode> {
    try {
      return await render(props);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logDatabaseFault(error);
      return <RetryingUnavailable />;
    }
  };
}
