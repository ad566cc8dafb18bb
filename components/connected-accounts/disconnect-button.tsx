"use client";

import { useActionState, useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { Toast } from "@/components/ui/toast";
import type { ActionState } from "@/components/connected-accounts/action-state";

type DisconnectButtonProps = {
  accountId: string;
  accountLabel: string;
  providerLabel: string;
  /** Does the account sign the user in (false for a provider for connecting only)? */
  canSignIn: boolean;
  /** Why it cannot be disconnected (the last way to sign in), if so. */
  disabledReason?: string;
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
};

export function DisconnectButton({
  accountId,
  accountLabel,
  providerLabel,
  canSignIn,
  disabledReason,
  action,
}: DisconnectButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState(action, { status: "idle" } as ActionState);
  const toast = state.status === "idle" ? undefined : { tone: state.status, text: state.message, id: state.id };
  // Success navigates away (the page shows its notice); an error closes the dialog for the toast.
  useEffect(() => {
    if (state.status === "error") dialog.current?.close();
  }, [state]);

  if (disabledReason) {
    const hintId = `disconnect-hint-${accountId}`;
    return (
      <div className="flex flex-col items-start gap-1 sm:items-end">
        <Button variant="secondary" disabled aria-describedby={hintId}>
          Disconnect
        </Button>
        <p id={hintId} className="max-w-56 text-xs text-zinc-500 sm:text-right dark:text-zinc-400">
          {disabledReason}
        </p>
      </div>
    );
  }

  return (
    <>
      <Button
        variant="secondary"
        className="text-red-700 dark:text-red-400"
        onClick={() => dialog.current?.showModal()}
      >
        Disconnect
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`disconnect-title-${accountId}`}
        className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-2xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id={`disconnect-title-${accountId}`} className="text-lg font-semibold">
          Disconnect {providerLabel}?
        </h2>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {canSignIn
            ? `${accountLabel} will no longer sign you in, and this app will lose access to it.`
            : `This app will lose access to ${accountLabel}.`}{" "}
          We also ask {providerLabel} to revoke the access you granted.
        </p>
        <form action={formAction} className="mt-6 flex justify-end gap-3">
          <input type="hidden" name="accountId" value={accountId} />
          <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <SubmitButton variant="danger" pendingLabel="Disconnecting…">
            Disconnect
          </SubmitButton>
        </form>
      </dialog>
      <Toast message={toast} />
    </>
  );
}
