import { ConnectButton } from "@/components/connected-accounts/connect-button";
import { SubmitButton } from "@/components/ui/submit-button";
import { activeNotices, CONNECTED_ACCOUNTS_PAGE } from "@/lib/connected-accounts";
import { ReconnectUnlessOn } from "./reconnect-unless-on";
import { providerLabel } from "@/lib/providers";

type ConnectionNoticesProps = {
  userId: string;
  /** The connect action of the Connected accounts page (Reconnect). */
  connectAction: (formData: FormData) => Promise<void>;
  /** Dismisses the notice named by the form's `noticeId`. */
  dismissAction: (formData: FormData) => Promise<void>;
  /** Lines up with the settings area, wider than a page for its sidebar (as AppHeader's `wide`). */
  wide?: boolean;
};

/**
 * What the user should know on their next visit, under the header of every signed-in page: a
 * connection that needs reconnecting (stored by a connection-event hook, lib/connected-accounts/connection-notices.ts).
 */
export async function ConnectionNotices({ userId, connectAction, dismissAction, wide }: ConnectionNoticesProps) {
  const notices = await activeNotices(userId);
  if (notices.length === 0) return null;
  return (
    <div className={`mx-auto flex w-full ${wide ? "max-w-5xl" : "max-w-3xl"} flex-col gap-2 px-4 pt-4`}>
      {notices.map((notice) => {
        const label = providerLabel(notice.provider);
        return (
          <section
            key={notice.id}
            aria-label={`${label} connection`}
            data-testid="connection-notice"
            data-kind={notice.kind}
            className="flex flex-col gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 sm:flex-row sm:items-center sm:justify-between dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-100"
          >
            <p>Your {label} connection needs reconnecting.</p>
            <div className="flex shrink-0 flex-wrap gap-2">
              <ReconnectUnlessOn cardPage={CONNECTED_ACCOUNTS_PAGE}>
                <ConnectButton
                  action={connectAction}
                  provider={notice.provider}
                  purpose="consent"
                  label="Reconnect"
                  variant="primary"
                />
              </ReconnectUnlessOn>
              <form action={dismissAction}>
                <input type="hidden" name="noticeId" value={notice.id} />
                <SubmitButton variant="ghost" pendingLabel="Dismissing…">
                  Dismiss
                </SubmitButton>
              </form>
            </div>
          </section>
        );
      })}
    </div>
  );
}
