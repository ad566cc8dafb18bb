import type { Metadata } from "next";
import Link from "next/link";
import { AuthErrorNotice } from "@/components/auth/auth-error-notice";
import { buttonClasses } from "@/components/ui/button";
import { authErrorText } from "@/lib/words";

export const metadata: Metadata = { title: "Sign-in problem" };

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const text = authErrorText(error ?? "Unknown");

  return (
    <main className="mx-auto flex min-h-[calc(100dvh-3.5rem)] w-full max-w-md flex-col justify-center gap-6 px-4 py-12">
      <h1 className="text-center text-2xl font-semibold tracking-tight">Sign-in problem</h1>
      {text ? <AuthErrorNotice text={text} /> : null}
      <Link href="/sign-in" className={buttonClasses("primary")}>
        Back to sign in
      </Link>
    </main>
  );
}
