"use client";

import { useActionState, useId } from "react";
import { idleState, type ActionState } from "@/components/connected-accounts/action-state";
import { SubmitButton } from "@/components/ui/submit-button";
import { Toast } from "@/components/ui/toast";

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/** The display name, editable; a refusal is said under the field and in a toast. */
export function NameForm({ name, action }: { name: string; action: Action }) {
  const [state, formAction] = useActionState(action, idleState);
  const inputId = useId();
  const errorId = useId();
  const error = state.status === "error" ? state.message : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-2" data-testid="name-form">
      <label htmlFor={inputId} className="text-sm font-medium">
        Name
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={inputId}
          name="name"
          defaultValue={name}
          required
          maxLength={100}
          autoComplete="name"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
      </div>
      {error ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <Toast
        message={state.status === "idle" ? undefined : { tone: state.status, text: state.message, id: state.id }}
      />
    </form>
  );
}
