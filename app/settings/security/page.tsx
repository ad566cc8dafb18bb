import type { Metadata } from "next";
import { AddPasskey } from "@/components/passkeys/add-passkey";
import { FactorExplanation } from "@/components/passkeys/factor-explanation";
import { PasskeyList } from "@/components/passkeys/passkey-list";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { Card } from "@/components/ui/card";
import { requireUser, reverificationFactor } from "@/lib/auth";
import { describeEvent, exactTime, relativeTime } from "@/lib/connected-accounts";
import {
  browserErrorTexts,
  isPasskeyErrorCode,
  listPasskeys,
  MAX_PASSKEYS,
  passkeyErrorText,
  recentSecurityEvents,
  relyingParty,
  SECURITY_PAGE,
} from "@/lib/passkeys";
import { findProvider, getConfiguredProviders } from "@/lib/providers";
import { addPasskeyAction, removePasskeyAction, startAddingPasskeyAction } from "./actions";

export const metadata: Metadata = { title: "Security" };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SecurityPage({ searchParams }: PageProps) {
  const user = await requireUser(SECURITY_PAGE);
  const query = await searchParams;
  const [passkeys, factor, events] = await Promise.all([
    listPasskeys(user.id),
    reverificationFactor(user.id),
    recentSecurityEvents(user.id),
  ]);
  const notice =
    query.removed === "1"
      ? "Passkey removed."
      : query.confirmed === "add_passkey"
        ? "Confirmed. You can add your passkey now."
        : undefined;
  const error = isPasskeyErrorCode(query.error) ? passkeyErrorText(query.error) : undefined;
  const providerLabel = (id: string) => findProvider(getConfiguredProviders(), id)?.label ?? "Passkey";

  return (
    <SettingsFrame title="Security" description="Passkeys, and how you confirm it is you before a sensitive change.">
      {notice || error ? (
        <p
          role={error ? "alert" : "status"}
          className={`text-sm ${error ? "text-red-700 dark:text-red-400" : "text-green-700 dark:text-green-400"}`}
        >
          {error ?? notice}
        </p>
      ) : null}
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
          Before you connect or remove an account or a passkey, we check that it is really you.
        </p>
        <FactorExplanation factor={factor} />
      </Card>
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
    </SettingsFrame>
  );
}
