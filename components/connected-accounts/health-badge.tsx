import type { AccountHealth } from "@/lib/connected-accounts";

const styles: Record<AccountHealth, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  expires_soon: {
    label: "Expires soon",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  },
  needs_reconnect: { label: "Needs reconnect", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
};

export function HealthBadge({ health }: { health: AccountHealth }) {
  const { label, className } = styles[health];
  return (
    <span
      data-testid="account-health"
      data-health={health}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${className}`}
    >
      {label}
    </span>
  );
}
