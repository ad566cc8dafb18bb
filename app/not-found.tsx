import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default async function NotFound() {
  // Rendered per request, like every page: its scripts need this request's CSP nonce.
  await connection();
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-6 px-4 py-12 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">There is nothing at this address.</p>
      <Link href="/" className={buttonClasses("primary")}>
        Go home
      </Link>
    </main>
  );
}
