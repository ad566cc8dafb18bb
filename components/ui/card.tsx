import type { ReactNode } from "react";

type CardProps = { children: ReactNode; className?: string; padded?: boolean };

export function Card({ children, className = "", padded = true }: CardProps) {
  return (
    <div
      className={`rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900 ${padded ? "p-6" : ""} ${className}`}
    >
      {children}
    </div>
  );
}
