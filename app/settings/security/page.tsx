import type { Metadata } from "next";
import { SECURITY_PAGE } from "@/components/settings/sections";
import { SessionsList } from "@/components/settings/sessions-list";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { ForgetNoticeInUrl } from "@/components/ui/forget-notice-in-url";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { listSessions, requireUser } from "@/lib/auth";
import { errorTextFromUrl } from "@/lib/connected-accounts";
import { signOutOtherSessionsAction, signOutSessionAction } from "./actions";
import { SIGN_OUT_NOTICES } from "./sign-out";

export const metadata: Metadata = { title: "Security" };

type Param = string | string[] | undefined;
type PageProps = { searchParams: Promise<{ notice?: Param; error?: Param }> };

const NOTICE_PARAMS = ["notice", "error"] as const;

export default async function SecurityPage({ searchParams }: PageProps) {
  const user = await requireUser(SECURITY_PAGE);
  const [sessions, params] = await Promise.all([listSessions(user), searchParams]);
  return (
    <SettingsFrame title="Security" description="How you sign in, and where you are signed in.">
      {/* Passkeys (issue 18): their section goes here, above the sessions. */}
      <SessionsList
        sessions={sessions}
        now={new Date()}
        signOutSessionAction={signOutSessionAction}
        signOutOthersAction={signOutOtherSessionsAction}
      />
      <Toast message={pageToast(params)} />
      <ForgetNoticeInUrl names={NOTICE_PARAMS} />
    </SettingsFrame>
  );
}

/** What the URL says just happened. Each render's toast gets its own id: one sign-out after another shows again. */
function pageToast({ notice, error }: Awaited<PageProps["searchParams"]>): ToastMessage | undefined {
  const id = Date.now();
  const errorText = errorTextFromUrl(typeof error === "string" ? error : undefined);
  if (errorText) return { tone: "error", text: errorText, id };
  if (typeof notice === "string" && Object.hasOwn(SIGN_OUT_NOTICES, notice))
    return { tone: "success", text: SIGN_OUT_NOTICES[notice as keyof typeof SIGN_OUT_NOTICES], id };
  return undefined;
}
