import { receiveSecurityEvent } from "@/lib/providers/google/receiver";

export const dynamic = "force-dynamic";

/** POST /api/risc — Google Cross-Account Protection security events (docs/provider-notices.md). */
export const POST = receiveSecurityEvent;
