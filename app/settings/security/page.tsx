import type { Metadata } from "next";
import { AddPasskey } from "@/components/passkeys/add-passkey";
import { FactorExplanation } from "@/components/passkeys/factor-explanation";
import { PasskeyList } from "@/components/passkeys/passkey-list";
import { SECURITY_PAGE } from "@/components/settings/sections";
import { SessionsList } from "@/components/settings/sessions-list";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { Card } from "@/components/ui/card";
import { ForgetNoticeInUrl } from "@/components/ui/forget-notice-in-url";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { listSessions, requireUser, reverificationFactor } from "@/lib/auth";
import { describeEvent, errorTextFromUrl, exactTime, relativeTime } from "@/lib/words";
import {
  browserErrorTexts,
  isPasskeyErrorCode,
  listPasskeys,
  MAX_PASSKEYS,
  passkeyErrorText,
  recentSecurityEvents,
  relyingParty,
} from "@/lib/passkeys";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import {
  addPasskeyAction,
  removePasskeyAction,
  signOutOtherSessionsAction,
  signOutSessionAction,
  startAddingPasskeyAction,
} from "./actions";
import { SIGN_OUT_NOTICES } from "./sign-out";

export const metadata: Metadata = { title: "Security" };

type Param = string | string[] | undefined;
type PageProps = {
  searchParams: Promise<{ notice?: Param; error?: Param; removed?: Param; confirmed?: Param }>;
};

const NOTICE_PARAMS = ["notice", "error", "removed", "confirmed"] as const;

async function SecurityPage({ searchParams }: PageProps) {
  const user = await requireUser(SECURITY_PAGE);
  const [passkeys, factor, events, sessions, params] = await Promise.all([
    listPasskeys(user.id),
    reverificationFactor(user.id),
    recentSecurityEvents(user.id),
    listSessions(user),
    searchParams,
  ]);
  const providerLabel = (id: string) => findProvider(getConfiguredProviders(), id)?.label ?? "Passkey";

  return (
    <SettingsFrame
      title="Security"
      description="Passkeys, how you confirm it is you before a sensitive change, and where you are signed in."
    >
      <Card>
        <h2 className="text-lg font-semibold">Passkeys</h2>
        <p className="mt-1 mb-4 text-sm text-zinc-600 dark:text-zinc-400">
          A passkey lives on your phone, laptop or security key and is unlocked with your fingerprint, face or PIN. Once
          you add one, it is what we ask for when you confirm it is you. Up to {MAX_PASSKEYS}.
        </p>
        <PasskeyList passkeys={passkeys} removeAction={removePasskeyAction} />
        <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {relyingParty() ? (
            <AddPasskey
              startAction={startAddingPasskeyAction}
              addAction={addPasskeyAction}
              errorTexts={browserErrorTexts()}
            />
          ) : (
            <p className="text-sm">{passkeyErrorText("passkeys_unavailable")}</p>
          )}
        </div>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">Confirm it&apos;s you</h2>
        <p className="mt-1 mb-4 text-sm text-zinc-600 dark:text-zinc-400">
          Before you connect or remove an account or a passkey, or sign out your other sessions, we check that it is
          really you.
        </p>
        <FactorExplanation factor={factor} />
      </Card>
      <SessionsList
        sessions={sessions}
        now={new Date()}
        signOutSessionAction={signOutSessionAction}
        signOutOthersAction={signOutOtherSessionsAction}
      />
      {events.length > 0 ? (
        <Card>
          <h2 className="text-lg font-semibold">Recent activity</h2>
          <ul className="mt-3 flex flex-col gap-2 text-sm" aria-label="Security activity">
            {events.map((event) => (
              <li key={event.id} className="flex justify-between gap-3">
                <span>
                  {describeEvent(event, { label: providerLabel(event.provider), scopeLabels: {}, scopeAliases: {} })}
                </span>
                <time className="shrink-0 text-zinc-500 dark:text-zinc-400" title={exactTime(event.createdAt)}>
                  {relativeTime(event.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Toast message={pageToast(params)} />
      <ForgetNoticeInUrl names={NOTICE_PARAMS} />
    </SettingsFrame>
  );
}

/** What the URL says just happened. Each render's toast gets its own id: one sign-out after another shows again. */
function pageToast({
  notice,
  error,
  removed,
  confirmed,
}: Awaited<PageProps["searchParams"]>): ToastMessage | undefined {
  const id = Date.now();
  if (isPasskeyErrorCode(error)) return { tone: "error", text: passkeyErrorText(error), id };
  const errorText = errorTextFromUrl(typeof error === "string" ? error : undefined);
  if (errorText) return { tone: "error", text: errorText, id };
  if (removed === "1") return { tone: "success", text: "Passkey removed.", id };
  if (confirmed === "add_passkey") return { tone: "success", text: "Confirmed. You can add your passkey now.", id };
  if (typeof notice === "string" && Object.hasOwn(SIGN_OUT_NOTICES, notice))
    return { tone: "success", text: SIGN_OUT_NOTICES[notice as keyof typeof SIGN_OUT_NOTICES], id };
  return undefined;
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(SecurityPage);
