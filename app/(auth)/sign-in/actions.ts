"use server";

import { signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/error-messages";
import { findProvider, getConfiguredProviders } from "@/lib/providers";

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = findProvider(getConfiguredProviders(), String(formData.get("provider")));
  if (!provider) throw new Error("Unknown sign-in provider");
  await signIn(provider.id, { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}
