import { SubmitButton } from "@/components/ui/submit-button";
import type { SessionSummary } from "@/lib/auth";
import { exactTime, relativeTime } from "@/lib/words";

type FormAction = (formData: FormData) => Promise<void>;

/**
 * The user's active sessions, this one first, each with its device and last use, and a way to sign
 * each other one out, or all of them at once. Plain forms: they work before scripts load.
 */
export function SessionsList({
  sessions,
  now,
  signOutSessionAction,
  signOutOthersAction,
}: {
  sessions: SessionSummary[];
  now: Date;
  signOutSessionAction: FormAction;
  signOutOthersAction: FormAction;
}) {
  const others = sessions.filter((session) => !session.current).length;
  return (
    <section aria-labelledby="sessions-heading" className="flex flex-col gap-4" data-testid="sessions">
      <div>
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Active sessions
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Browsers signed in to your account. Sign out any you do not recognise.
        </p>
      </div>
      <ul className="divide-y divide-zinc-200 rounded-2xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {sessions.map((session) => (
          <li
            key={session.id}
            className="flex flex-wrap items-center gap-x-4 gap-y-3 p-4 sm:px-6"
            data-testid="session"
            data-current={session.current || undefined}
          >
            <DeviceIcon mobile={session.mobile} />
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                <span data-testid="session-device">{session.device}</span>
                {session.current ? (
                  <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
                    This device
                  </span>
                ) : null}
              </p>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {session.current ? (
                  "Active now"
                ) : session.lastSeenAt ? (
                  <>
                    Last seen <Time date={session.lastSeenAt} now={now} />
                  </>
                ) : (
                  "Not seen since it signed in"
                )}
                {" · "}Signed in <Time date={session.signedInAt} now={now} />
              </p>
            </div>
            {session.current ? null : (
              <form action={signOutSessionAction}>
                <input type="hidden" name="sessionId" value={session.id} />
                <SubmitButton pendingLabel="Signing out…" variant="secondary" className="px-3 py-1.5">
                  Sign out<span className="sr-only"> {session.device}</span>
                </SubmitButton>
              </form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <form action={signOutOthersAction} className="flex flex-wrap items-center gap-3">
          <SubmitButton pendingLabel="Signing out…" variant="danger">
            Sign out other sessions
          </SubmitButton>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Ends {others === 1 ? "the other session" : `all ${others} other sessions`}; this one stays signed in.
          </p>
        </form>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="no-other-sessions">
          You are signed in on this device only.
        </p>
      )}
    </section>
  );
}

function Time({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={exactTime(date)}>
      {relativeTime(date, now)}
    </time>
  );
}

function DeviceIcon({ mobile }: { mobile: boolean }) {
  return (
    <span className="grid size-10 shrink-0 place-items-center rounded-full bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
      <svg viewBox="0 0 24 24" aria-hidden className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8}>
        <path
          d={
            mobile
              ? "M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Zm3 15h2"
              : "M4 5h16v10H4zM2 19h20"
          }
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
