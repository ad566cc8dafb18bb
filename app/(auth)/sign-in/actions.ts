"use server";

import { signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/error-messages";
import { getEnv } from "@/lib/env";
import { configuredProviders, findProvider } from "@/lib/providers";

export async function signInWithProvider(formData: FormData): Promise<void> {
  const provider = findProvider(configuredProviders(getEnv()), String(formData.get("provider")));
  if (!provider) throw new Error("Unknown sign-in provider");
  await signIn(provider.id, { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}
