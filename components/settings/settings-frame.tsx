import type { ReactNode } from "react";

/** The frame of a settings section (beside the settings navigation): a title, and what the page is for. */
export function SettingsFrame({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <main className="flex min-w-0 flex-col gap-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      </header>
      {children}
    </main>
  );
}
