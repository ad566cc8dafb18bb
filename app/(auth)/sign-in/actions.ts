"use server";

import { z } from "zod";
import { forgetAccountFlow, safeCallbackPath, signIn } from "@/lib/auth";
import { formAction } from "@/lib/http";
import { configuredProviderField, signsIn } from "@/lib/providers";

const signInFields = z.object({
  provider: configuredProviderField.refine(signsIn, "not a sign-in provider"),
  callbackUrl: z.unknown().transform(safeCallbackPath),
});

export const signInWithProvider = formAction(
  {
    schema: signInFields,
    refuse: () => {
      throw new Error("Unknown sign-in provider");
    },
  },
  async ({ provider, callbackUrl }): Promise<void> => {
    // A plain sign-in: a link this browser started earlier and abandoned must not claim its callback.
    await forgetAccountFlow();
    await signIn(provider.id, { redirectTo: callbackUrl });
  },
);
