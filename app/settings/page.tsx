import type { Metadata } from "next";
import Link from "next/link";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Settings" };

async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <SettingsFrame title="Settings">
      <Card>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Signed in as {user.email ?? user.name}.</p>
        <Link
          href="/settings/connected-accounts"
          className="mt-3 inline-block text-sm font-medium underline underline-offset-4"
        >
          Connected accounts
        </Link>
      </Card>
    </SettingsFrame>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(SettingsPage);
