import { CONNECTED_ACCOUNTS_PAGE } from "@/lib/connected-accounts";

/** The settings area's sections, in the order the navigation lists them; each is its own page. */
export const SETTINGS_SECTIONS = [
  { href: "/settings/profile", label: "Profile", icon: "profile" },
  { href: CONNECTED_ACCOUNTS_PAGE, label: "Connected accounts", icon: "accounts" },
  { href: "/settings/security", label: "Security", icon: "security" },
] as const;

export const PROFILE_PAGE = SETTINGS_SECTIONS[0].href;
export const SECURITY_PAGE = SETTINGS_SECTIONS[2].href;
