import type { Metadata } from "next";
import Link from "next/link";
import { NameForm } from "@/components/settings/name-form";
import { PROFILE_PAGE } from "@/components/settings/sections";
import { SettingsFrame } from "@/components/settings/settings-frame";
import { showingDatabaseOutages } from "@/components/shell/showing-database-outages";
import { Avatar } from "@/components/shell/avatar";
import { Card } from "@/components/ui/card";
import { readProfile, requireUser } from "@/lib/auth";
import { formatDate } from "@/lib/words";
import { renameAction } from "./actions";

export const metadata: Metadata = { title: "Profile" };

async function ProfilePage() {
  const user = await requireUser(PROFILE_PAGE);
  const profile = await readProfile(user.id);
  const name = profile?.name ?? profile?.email ?? "You";
  return (
    <SettingsFrame title="Profile" description="How you appear in this app.">
      <Card>
        <div className="flex min-w-0 items-center gap-4">
          <Avatar name={name} image={profile?.image ?? null} size="lg" />
          <div className="min-w-0">
            <p className="truncate text-base font-semibold" data-testid="profile-name" title={name}>
              {name}
            </p>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400" title={profile?.email ?? undefined}>
              {profile?.email ?? "No verified email address"}
            </p>
          </div>
        </div>
      </Card>
      <Card>
        <NameForm name={profile?.name ?? ""} action={renameAction} />
      </Card>
      <Card>
        <dl className="grid gap-4 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="font-medium">Email</dt>
          <dd className="min-w-0 text-zinc-600 dark:text-zinc-400">
            <span className="break-words" data-testid="profile-email">
              {profile?.email ?? "None"}
            </span>
            <span className="mt-1 block">
              {profile?.email
                ? "Verified by the provider you signed up with. It changes only there."
                : "None of your sign-in accounts gave a verified address."}
            </span>
          </dd>
          <dt className="font-medium">Picture</dt>
          <dd className="text-zinc-600 dark:text-zinc-400">From your sign-in provider, when it has one.</dd>
          <dt className="font-medium">Member since</dt>
          <dd className="text-zinc-600 dark:text-zinc-400">
            {profile ? (
              <time dateTime={profile.createdAt.toISOString()}>{formatDate(profile.createdAt, "longDay")}</time>
            ) : null}
          </dd>
        </dl>
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Sign-in methods are under{" "}
          <Link href="/settings/connected-accounts" className="font-medium underline underline-offset-4">
            Connected accounts
          </Link>
          .
        </p>
      </Card>
    </SettingsFrame>
  );
}

// During a database outage: the retrying page, not an error.
export default showingDatabaseOutages(ProfilePage);
