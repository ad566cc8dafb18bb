import "server-only";
import { changeWithEvents } from "../../../connected-accounts";
import { firstReceipt, forgetReceiptsBefore } from "../../../notice-receipts";
import { jsonResponse, NO_STORE } from "../../../http/responses"; // not the index: a receiver has no user, and needs no Auth.js
import { isDatabaseUnavailable } from "../../../database-fault";
import { log } from "../../../log";
import { planEvent, type PlannedChange } from "./events";
import {
  MAX_TOKEN_AGE_SECONDS,
  ReceiverUnavailable,
  riscSettings,
  TokenRefused,
  verifySecurityEventToken,
  type RefusalCode,
} from "./verify";

/** Largest token accepted (Google's are about 1 KB). */
const MAX_TOKEN_BYTES = 16 * 1024;

/** RFC 8935's error answer: `{ err, description }`, status 400. */
function refused(code: RefusalCode, description: string): Response {
  log.warn("risc.token_refused", { provider: "google", code, reason: description });
  return jsonResponse({ err: code, description }, 400);
}

function unavailable(reason: string): Response {
  log.error("risc.receiver_unavailable", { provider: "google", reason });
  const response = jsonResponse({ err: "temporarily_unavailable", description: "try again later" }, 503);
  response.headers.set("Retry-After", "30");
  return response;
}

/**
 * POST /api/risc: a security event token from Google's Cross-Account Protection (docs/provider-notices.md).
 * Verified (signature, issuer, audience, age), then applied with its `jti` in one transaction:
 * 202 when accepted (a replayed `jti` is accepted and changes nothing), 400 `{ err, description }`
 * when refused (nothing changes), 404 when Google is not configured, 503 when Google's keys or the
 * database cannot be reached (Google retries).
 */
export async function receiveSecurityEvent(request: Request): Promise<Response> {
  const settings = riscSettings();
  if (!settings) return jsonResponse({ err: "not_found" }, 404);
  const body = await request.text();
  if (body.length === 0 || body.length > MAX_TOKEN_BYTES) return refused("invalid_request", "no token, or too long");
  try {
    const token = await verifySecurityEventToken(body.trim(), settings);
    const issuers = [token.iss, settings.openIdIssuer];
    const changes: PlannedChange[] = [];
    for (const [type, event] of Object.entries(token.events)) {
      const change = await planEvent(type, event && typeof event === "object" ? event : {}, issuers);
      if (change) changes.push(change);
    }
    const applied = await changeWithEvents(async (tx, record) => {
      if (!(await firstReceipt(tx, "google-risc", token.jti))) return false;
      for (const change of changes) await change(tx, record);
      // Ids older than twice the accepted age can go: a token that old is refused by its iat.
      await forgetReceiptsBefore(tx, "google-risc", 2 * MAX_TOKEN_AGE_SECONDS);
      return true;
    });
    log.info(applied ? "risc.token_applied" : "risc.token_replayed", {
      provider: "google",
      reason: Object.keys(token.events).join(" "),
    });
    return new Response(null, { status: 202, headers: NO_STORE });
  } catch (error) {
    if (error instanceof TokenRefused) return refused(error.code, error.message);
    if (error instanceof ReceiverUnavailable) return unavailable(error.message);
    if (isDatabaseUnavailable(error)) return unavailable("the database is unavailable");
    throw error;
  }
}
