import { cronSweep } from "@/lib/connected-accounts";

export const dynamic = "force-dynamic";
// The sweep claims accounts for 45 s; refreshes under way finish within the 10 s provider timeout.
export const maxDuration = 60;

/** GET /api/cron/sweep — refreshes due tokens; for serverless hosts (see docs/deploying.md). */
export const GET = cronSweep;
