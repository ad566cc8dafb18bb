/** A refusal or failure a server action reports, shown as a toast; a new `id` shows the same words again. */
export type ActionError = { status: "error"; message: string; id: number };

/** What a connected-accounts server action tells the page: shown as a toast. */
export type ActionState = { status: "idle" } | { status: "success"; message: string; id: number } | ActionError;

export const idleState: ActionState = { status: "idle" };

export function actionError(message: string): ActionError {
  return { status: "error", message, id: Date.now() };
}
