import type { Metadata } from "next";
import Link from "next/link";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
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
        <Link
          href="/settings/security"
          className="mt-3 ml-4 inline-block text-sm font-medium underline underline-offset-4"
        >
          Security and passkeys
        </Link>
      </Card>
    </SettingsFrame>
  );
}
