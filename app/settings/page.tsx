import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-8 sm:py-12">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/" className="text-zinc-600 underline-offset-4 hover:underline dark:text-zinc-400">
          ← Home
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Signed in as {user.email ?? user.name}.</p>
        <Link href="/settings/connected-accounts" className="mt-3 inline-block text-sm font-medium underline underline-offset-4">
          Connected accounts
        </Link>
      </Card>
    </main>
  );
}
