import type { AuthErrorText } from "@/lib/words";

export function AuthErrorNotice({ text }: { text: AuthErrorText }) {
  return (
    <div
      role="alert"
      className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">{text.title}</p>
      <p className="mt-1 leading-relaxed">{text.body}</p>
    </div>
  );
}
