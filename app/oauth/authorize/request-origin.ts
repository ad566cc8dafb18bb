import "server-only";
import { headers } from "next/headers";
import { appOrigin } from "@/lib/agents";

/** The app's origin for a page or an action: AUTH_URL's, else the request's Host. */
export async function requestOrigin(): Promise<string> {
  const list = await headers();
  const host = list.get("x-forwarded-host")?.split(",")[0]?.trim() || list.get("host") || "localhost";
  const protocol = list.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return appOrigin(`${protocol}://${host}`);
}
