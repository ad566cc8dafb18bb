import { redirect } from "next/navigation";
import { PROFILE_PAGE } from "@/components/settings/sections";

/** /settings opens its first section. */
export default function SettingsPage(): never {
  redirect(PROFILE_PAGE);
}
