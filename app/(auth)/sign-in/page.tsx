import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthErrorNotice } from "@/components/auth/auth-error-notice";
import { SignInButtons } from "@/components/auth/sign-in-buttons";
import { Card } from "@/components/ui/card";
import { auth } from "@/lib/auth";
import { authErrorText, safeCallbackPath } from "@/lib/auth/error-messages";
import { getConfiguredProviders } from "@/lib/providers";
import { signInWithProvider } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl);
  if ((await auth())?.user) redirect(returnTo);

  const options = getConfiguredProviders().map(({ id, label, icon, sandbox }) => ({ id, label, icon, sandbox }));
  const errorText = authErrorText(error);

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center gap-6 px-4 py-12">
      <div className="text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Use the provider you signed up with. You can link more accounts later.
        </p>
      </div>
      {errorText ? <AuthErrorNotice text={errorText} /> : null}
      <Card>
        <SignInButtons options={options} fields={{ callbackUrl: returnTo }} action={signInWithProvider} />
        {options.some((option) => option.sandbox) ? (
          <p className="mt-4 text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
            Providers marked “sandbox” are simulated on this machine because no real OAuth credentials are set. See
            the README to use real Google and GitHub apps.
          </p>
        ) : null}
      </Card>
    </main>
  );
}
