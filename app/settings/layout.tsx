import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { currentSession } from "@/lib/auth";
import { signOutAction } from "../actions";

// Each settings page requires the user itself (a layout cannot redirect back to the page asked for).
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = (await currentSession())?.user;
  return (
    <>
      <AppHeader
        user={user ? { name: user.name ?? null, email: user.email ?? null, image: user.image ?? null } : undefined}
        signOutAction={signOutAction}
      />
      {children}
    </>
  );
}
