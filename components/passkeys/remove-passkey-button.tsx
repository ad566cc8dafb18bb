"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { idlePasskeyState, type PasskeyActionState } from "./state";

type RemovePasskeyButtonProps = {
  credentialID: string;
  name: string;
  action: (previous: PasskeyActionState, formData: FormData) => Promise<PasskeyActionState>;
};

/** Removes one passkey; an old session is sent to confirm first (the action redirects). */
export function RemovePasskeyButton({ credentialID, name, action }: RemovePasskeyButtonProps) {
  const [state, formAction] = useActionState(action, idlePasskeyState);
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="credentialID" value={credentialID} />
      <SubmitButton variant="ghost" pendingLabel="Removing…" className="px-3 py-1.5">
        Remove<span className="sr-only"> {name}</span>
      </SubmitButton>
      {state.status === "error" ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
