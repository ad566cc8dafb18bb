/** What a connected-accounts server action tells the page: shown as a toast. */
export type ActionState = { status: "idle" } | { status: "success" | "error"; message: string; id: number };

export const idleState: ActionState = { status: "idle" };
