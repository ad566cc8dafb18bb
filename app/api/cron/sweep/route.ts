import { cronSweep } from "./cron-sweep";
import { headNotAllowed } from "@/lib/http";

export const dynamic = "force-dynamic";
// The sweep claims accounts for 30 s, webhooks until 45 s; work under way finishes within its 10 s timeout.
export const maxDuration = 60;

/** GET /api/cron/sweep — refreshes due tokens and sends due webhooks; for serverless hosts (see docs/deploying.md). */
export const GET = cronSweep;
// Not the GET handler, which Next.js would run for a HEAD: a HEAD with the secret would sweep.
export const HEAD = headNotAllowed();
