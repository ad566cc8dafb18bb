import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthErrorNotice } from "@/components/auth/auth-error-notice";
import { SignInButtons } from "@/components/auth/sign-in-buttons";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { Card } from "@/components/ui/card";
import { safeCallbackPath, signedInUser } from "@/lib/auth";
import { authErrorText } from "@/lib/words";
import { getConfiguredProviders, signsIn } from "@/lib/providers";
import { signInWithProvider } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<{ callbackUrl?: string; error?: string; notice?: string }> };

async function SignInPage({ searchParams }: SignInPageProps) {
  const { callbackUrl, error, notice } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl);
  if (await signedInUser()) redirect(returnTo);

  const options = getConfiguredProviders()
    .filter(signsIn)
    .map(({ id, label, icon, sandbox }) => ({ id, label, icon, sandbox }));
  const errorText = authErrorText(error);
  // Why the user is here, when they did not come to sign in on their own.
  const reason = errorText
    ? undefined
    : notice === "signed_out"
      ? "You are signed out."
      : returnTo !== "/"
        ? "Sign in to continue."
        : undefined;

  return (
    <main className="mx-auto flex min-h-[calc(100dvh-3.5rem)] w-full max-w-md flex-col justify-center gap-6 px-4 py-12">
      <div className="text-center">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Use the provider you signed up with. You can link more accounts later.
        </p>
      </div>
      {errorText ? <AuthErrorNotice text={errorText} /> : null}
      {reason ? (
        <p
          role="status"
          data-testid="sign-in-reason"
          className="rounded-xl border border-zinc-200 bg-white px-4 py-3 text-center text-sm dark:border-zinc-800 dark:bg-zinc-900"
        >
          {reason}
        </p>
      ) : null}
      <Card>
        <SignInButtons options={options} fields={{ callbackUrl: returnTo }} action={signInWithProvider} />
        {options.some((option) => option.sandbox) ? (
          <p className="mt-4 text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
            Providers marked “sandbox” are simulated on this machine because no real OAuth credentials are set. See the
            README to use the real providers.
          </p>
        ) : null}
      </Card>
    </main>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(SignInPage);
