"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { actionError } from "@/components/connected-accounts/action-state";
import { Button } from "@/components/ui/button";
import type { BrowserErrorTexts } from "@/lib/passkeys";
import { browserErrorCode } from "./browser-error";
import { PasskeyIcon } from "./passkey-confirm";
import type { PasskeyActionState, RegistrationStart } from "./state";

type AddPasskeyProps = {
  startAction: (formData: FormData) => Promise<RegistrationStart>;
  addAction: (formData: FormData) => Promise<PasskeyActionState>;
  errorTexts: BrowserErrorTexts;
};

/** A name, then the browser's "create a passkey" prompt; a confirmation first when the session's is old. */
export function AddPasskey({ startAction, addAction, errorTexts }: AddPasskeyProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [state, setState] = useState<PasskeyActionState>({ status: "idle" });

  const add = (form: FormData) =>
    startTransition(async () => {
      setState({ status: "idle" });
      const started = await startAction(new FormData());
      if (started.status === "confirm") return router.push(started.url);
      if (started.status === "error") return setState(started);
      let response;
      try {
        response = await startRegistration({ optionsJSON: started.options });
      } catch (failure) {
        return setState(actionError(errorTexts[browserErrorCode(failure)]));
      }
      form.set("response", JSON.stringify(response));
      const result = await addAction(form);
      if (result.status === "confirm") return router.push(result.url);
      setState(result);
      if (result.status === "success") router.refresh();
    });

  return (
    <form action={add} className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Name
        <input
          name="name"
          maxLength={60}
          placeholder="e.g. Work laptop"
          autoComplete="off"
          className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm font-normal dark:border-zinc-700 dark:bg-zinc-950"
        />
      </label>
      <Button type="submit" variant="primary" disabled={pending} aria-busy={pending} className="self-start">
        <PasskeyIcon />
        {pending ? "Waiting for your passkey…" : "Add a passkey"}
      </Button>
      {state.status === "error" || state.status === "success" ? (
        <p
          role={state.status === "error" ? "alert" : "status"}
          className={`text-sm ${state.status === "error" ? "text-red-700 dark:text-red-400" : "text-green-700 dark:text-green-400"}`}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
