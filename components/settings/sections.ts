/**
 * The settings area's sections, in the order the navigation lists them; each is its own page. The
 * navigation is a client component, so this file imports no server module (the token core's
 * CONNECTED_ACCOUNTS_PAGE is the same path).
 */
export const SETTINGS_SECTIONS = [
  { href: "/settings/profile", label: "Profile", icon: "profile" },
  { href: "/settings/connected-accounts", label: "Connected accounts", icon: "accounts" },
  { href: "/settings/security", label: "Security", icon: "security" },
] as const;

export const PROFILE_PAGE = SETTINGS_SECTIONS[0].href;
export const SECURITY_PAGE = SETTINGS_SECTIONS[2].href;
