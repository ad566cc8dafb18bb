import { Suspense, type ReactNode } from "react";
import { SettingsNav } from "@/components/settings/settings-nav";
import { AppHeader } from "@/components/shell/app-header";
import { ConnectionNotices } from "@/components/shell/connection-notices";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { signedInUser } from "@/lib/auth";
import { dismissNoticeAction, signOutAction } from "../actions";
import { connectProviderAction } from "./connected-accounts/actions";

// Each settings page requires the user itself (a layout cannot redirect back to the page asked for).
async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await signedInUser();
  return (
    <>
      <AppHeader
        user={user ? { name: user.name ?? null, email: user.email ?? null, image: user.image ?? null } : undefined}
        signOutAction={signOutAction}
        wide
      />
      {user?.id ? (
        // Streams in after the header: a notice never holds the page back.
        <Suspense fallback={null}>
          <ConnectionNotices
            userId={user.id}
            connectAction={connectProviderAction}
            dismissAction={dismissNoticeAction}
            wide
          />
        </Suspense>
      ) : null}
      <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-4 py-6 sm:grid sm:grid-cols-[13rem_minmax(0,1fr)] sm:gap-10 sm:py-12">
        <SettingsNav />
        {children}
      </div>
    </>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(SettingsLayout);
