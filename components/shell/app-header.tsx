import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import type { SignedInUser } from "@/lib/auth";
import { Avatar } from "./avatar";
import { NavLinks } from "./nav-links";

type HeaderUser = Pick<SignedInUser, "name" | "email" | "image">;

/**
 * The bar above every page: the app's name, where to go, and who is signed in. `wide` lines it up
 * with the settings area, which is wider than a page for its sidebar.
 */
export function AppHeader({
  user,
  signOutAction,
  wide = false,
}: {
  user?: HeaderUser;
  signOutAction?: () => Promise<void>;
  wide?: boolean;
}) {
  return (
    <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/80">
      <div className={`mx-auto flex h-14 w-full ${wide ? "max-w-5xl" : "max-w-3xl"} items-center gap-4 px-4`}>
        <Link href="/" className="flex shrink-0 items-center gap-2 text-sm font-semibold tracking-tight">
          {/* eslint-disable-next-line @next/next/no-img-element -- the app's own 32×32 SVG mark */}
          <img src="/icon.svg" alt="" className="size-6" />
          <span className="sr-only sm:not-sr-only">Connected accounts starter</span>
        </Link>
        {user ? (
          <>
            <NavLinks
              links={[
                { href: "/", label: "Home" },
                { href: "/settings", label: "Settings" },
              ]}
            />
            <UserMenu user={user} signOutAction={signOutAction} />
          </>
        ) : null}
      </div>
    </header>
  );
}

/** Avatar button with the account and sign-out: a disclosure, so it works before scripts load. */
function UserMenu({ user, signOutAction }: { user: HeaderUser; signOutAction?: () => Promise<void> }) {
  const name = user.name ?? user.email ?? "Signed in";
  return (
    <details className="group relative ml-auto" data-testid="user-menu">
      <summary
        aria-label={`Account menu for ${name}`}
        className="flex cursor-pointer list-none items-center rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 [&::-webkit-details-marker]:hidden"
      >
        <Avatar name={name} image={user.image} size="sm" />
      </summary>
      <div className="absolute right-0 z-40 mt-2 w-64 rounded-xl border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
        <div className="px-3 py-2">
          <p className="truncate text-sm font-medium" title={name}>
            {name}
          </p>
          {user.email && user.email !== name ? (
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={user.email}>
              {user.email}
            </p>
          ) : null}
        </div>
        <Link
          href="/settings/connected-accounts"
          className="block rounded-lg px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          Connected accounts
        </Link>
        {signOutAction ? (
          <div className="border-t border-zinc-200 pt-2 mt-1 dark:border-zinc-800">
            <SignOutButton action={signOutAction} className="w-full justify-start" />
          </div>
        ) : null}
      </div>
    </details>
  );
}
