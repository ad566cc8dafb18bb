"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * A notice's Reconnect button, except on `cardPage`, where the account's own card below has the one
 * Reconnect button (a page shows at most one per account).
 */
export function ReconnectUnlessOn({ cardPage, children }: { cardPage: string; children: ReactNode }) {
  return usePathname() === cardPage ? null : children;
}
