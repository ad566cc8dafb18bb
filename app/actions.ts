"use server";

import { forgetAccountFlow, signOut } from "@/lib/auth";

export async function signOutAction(): Promise<void> {
  await forgetAccountFlow();
  await signOut({ redirectTo: "/sign-in?notice=signed_out" });
}
