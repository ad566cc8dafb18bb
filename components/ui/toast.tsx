"use client";

import { useEffect, useState } from "react";

export type ToastMessage = { tone: "success" | "error"; text: string; id: number };

/** A polite live region: screen readers announce it, it fades after a few seconds. */
export function Toast({ message }: { message: ToastMessage | undefined }) {
  const [hiddenId, setHiddenId] = useState<number | undefined>();
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setHiddenId(message.id), 6000);
    return () => clearTimeout(timer);
  }, [message]);
  const visible = message && message.id !== hiddenId;
  return (
    <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4">
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
