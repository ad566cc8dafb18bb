"use client";

import { useEffect, useState, useSyncExternalStore } from "react";

export type ToastMessage = { tone: "success" | "error"; text: string; id: number };

// One toast on screen at a time: the page's notice and an action's answer share the same spot,
// so the newest message takes it over.
let shownBy: symbol | undefined;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
function show(owner: symbol) {
  shownBy = owner;
  for (const listener of listeners) listener();
}

/** A polite live region: screen readers announce it, it fades after a few seconds. */
export function Toast({ message }: { message: ToastMessage | undefined }) {
  const [owner] = useState(() => Symbol("toast"));
  const current = useSyncExternalStore(
    subscribe,
    () => shownBy,
    () => undefined,
  );
  const [hiddenId, setHiddenId] = useState<number | undefined>();
  useEffect(() => {
    if (!message) return;
    show(owner);
    const timer = setTimeout(() => setHiddenId(message.id), 6000);
    return () => clearTimeout(timer);
  }, [message, owner]);
  const visible = message && message.id !== hiddenId && current === owner;
  return (
    <div
      aria-live="polite"
      role="status"
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4"
    >
      {visible ? (
        <p
          data-testid="toast"
          data-tone={message.tone}
          className={`pointer-events-auto max-w-md rounded-xl px-4 py-3 text-sm shadow-lg ${
            message.tone === "success"
              ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
              : "bg-red-700 text-white dark:bg-red-600"
          }`}
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
