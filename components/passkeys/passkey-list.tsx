import { exactTime, relativeTime } from "@/lib/words";
import type { PasskeySummary } from "@/lib/passkeys";
import { PasskeyIcon } from "./passkey-confirm";
import { RemovePasskeyButton } from "./remove-passkey-button";
import type { PasskeyActionState } from "./state";

type PasskeyListProps = {
  passkeys: readonly PasskeySummary[];
  removeAction: (previous: PasskeyActionState, formData: FormData) => Promise<PasskeyActionState>;
};

export function PasskeyList({ passkeys, removeAction }: PasskeyListProps) {
  if (passkeys.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">No passkeys yet.</p>;
  return (
    <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Your passkeys">
      {passkeys.map((passkey) => (
        <li key={passkey.credentialID} className="flex items-center gap-3 py-3">
          <PasskeyIcon />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium">{passkey.name}</p>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Added <time title={exactTime(passkey.createdAt)}>{relativeTime(passkey.createdAt)}</time>
              {" · "}
              {passkey.lastUsedAt ? (
                <>
                  last used <time title={exactTime(passkey.lastUsedAt)}>{relativeTime(passkey.lastUsedAt)}</time>
                </>
              ) : (
                "never used"
              )}
              {passkey.backedUp ? " · synced" : ""}
            </p>
          </div>
          <RemovePasskeyButton credentialID={passkey.credentialID} name={passkey.name} action={removeAction} />
        </li>
      ))}
    </ul>
  );
}
