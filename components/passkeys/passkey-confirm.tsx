"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { BrowserErrorTexts } from "@/lib/passkeys";
import { browserErrorCode } from "./browser-error";
import type { ConfirmationStart, PasskeyActionState } from "./state";

type PasskeyConfirmProps = {
  /** The signed change to carry on with once confirmed. */
  continueToken: string;
  startAction: (formData: FormData) => Promise<ConfirmationStart>;
  confirmAction: (formData: FormData) => Promise<PasskeyActionState>;
  errorTexts: BrowserErrorTexts;
};

/** "Use your passkey": the challenge from the server, the browser's prompt, the answer back. */
export function PasskeyConfirm({ continueToken, startAction, confirmAction, errorTexts }: PasskeyConfirmProps) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();

  const confirm = () =>
    startTransition(async () => {
      setError(undefined);
      const started = await startAction(new FormData());
      if (started.status !== "options") return setError(started.message);
      let response;
      try {
        response = await startAuthentication({ optionsJSON: started.options });
      } catch (failure) {
        return setError(errorTexts[browserErrorCode(failure)]);
      }
      const form = new FormData();
      form.set("continue", continueToken);
      form.set("response", JSON.stringify(response));
      const result = await confirmAction(form);
      if (result.status === "error") setError(result.message);
      if (result.status === "continue") window.location.assign(result.url);
    });

  return (
    <div className="flex flex-col gap-3">
      <Button type="button" className="w-full py-3" onClick={confirm} disabled={pending} aria-busy={pending}>
        <PasskeyIcon />
        {pending ? "Waiting for your passkey…" : "Use your passkey"}
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function PasskeyIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      className="size-5 shrink-0"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      aria-hidden
    >
      <circle cx="9" cy="8" r="4" />
      <path d="M2 21v-1a6 6 0 0 1 9.5-4.9" strokeLinecap="round" />
      <circle cx="17.5" cy="14.5" r="2.5" />
      <path d="M17.5 17v4.5l1.5-1-1.5-1.2 1.5-1" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
