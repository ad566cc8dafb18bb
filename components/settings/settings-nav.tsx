"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SETTINGS_SECTIONS } from "./sections";

/**
 * The settings sections: a sidebar from 640 px up, a row of tabs that scrolls sideways on a phone.
 * Plain links, so it works before scripts load; the current section carries aria-current.
 */
export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="-mx-4 border-b border-zinc-200 sm:mx-0 sm:border-0 dark:border-zinc-800">
      <p className="mb-2 hidden px-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase sm:block dark:text-zinc-400">
        Settings
      </p>
      <ul className="flex gap-1 overflow-x-auto px-4 pb-2 sm:flex-col sm:overflow-visible sm:px-0 sm:pb-0">
        {SETTINGS_SECTIONS.map(({ href, label, icon }) => {
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href} className="shrink-0">
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className="flex items-center gap-2.5 rounded-lg px-3 py-2 text-sm whitespace-nowrap text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 aria-[current=page]:bg-zinc-200/70 aria-[current=page]:font-medium aria-[current=page]:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-zinc-100"
              >
                <SectionIcon icon={icon} />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

const ICON_PATHS = {
  // A head and shoulders.
  profile: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8a7 7 0 0 1 14 0",
  // Two links of a chain.
  accounts: "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1",
  // A shield.
  security: "M12 3 5 6v5c0 4.5 3 8.3 7 10 4-1.7 7-5.5 7-10V6l-7-3Z",
} as const;

function SectionIcon({ icon }: { icon: keyof typeof ICON_PATHS }) {
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden
      className="hidden size-4 shrink-0 sm:block"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
    >
      <path d={ICON_PATHS[icon]} strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
