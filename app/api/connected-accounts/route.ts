import { auth } from "@/lib/auth";
import { answeringDatabaseOutages, errorResponse, jsonResponse } from "@/lib/connected-accounts/http";
import { listConnectedAccounts } from "@/lib/connected-accounts/list";

export const dynamic = "force-dynamic";

/** GET /api/connected-accounts — the signed-in user's linked accounts, without secrets. */
export const GET = answeringDatabaseOutages(async () => {
  const userId = (await auth())?.user?.id;
  if (!userId) return errorResponse("unauthenticated");
  return jsonResponse({ data: await listConnectedAccounts(userId) });
});
