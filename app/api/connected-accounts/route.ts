import { z } from "zod";
import { listConnectedAccounts } from "@/lib/connected-accounts";
import { headNotAllowed, jsonResponse, withUser } from "@/lib/http";

export const dynamic = "force-dynamic";

/** GET /api/connected-accounts — the signed-in user's linked accounts, without secrets. */
export const GET = withUser({ query: z.object({}) }, async (_request, { user }) => {
  return jsonResponse({ data: await listConnectedAccounts(user.id) });
});

/** Not the GET handler, which Next.js would run for a HEAD. */
export const HEAD = headNotAllowed();
