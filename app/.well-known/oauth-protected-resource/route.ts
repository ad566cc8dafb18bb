import { headNotAllowed } from "@/lib/http";
import { agentRoute, preflight, protectedResourceMetadata } from "@/lib/agents";

/** The same metadata at the root, where clients that skip the 401's resource_metadata look. */
export const GET = agentRoute(async (_request, origin) => Response.json(protectedResourceMetadata(origin)));
export const OPTIONS = preflight;

/** Not the GET handler, which Next.js would run for a HEAD (app/route-handlers.test.ts). */
export const HEAD = headNotAllowed();
