"use server";

import { signIn } from "@/lib/auth";
import { forgetAccountFlow } from "@/lib/auth/account-flow";
import { safeCallbackPath } from "@/lib/auth/error-messages";
import { findProvider, getConfiguredProviders } from "@/lib/providers";

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = findProvider(getConfiguredProviders(), String(formData.get("provider")));
  if (!provider) throw new Error("Unknown sign-in provider");
  // A plain sign-in: a link this browser started earlier and abandoned must not claim its callback.
  await forgetAccountFlow();
  await signIn(provider.id, { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}
