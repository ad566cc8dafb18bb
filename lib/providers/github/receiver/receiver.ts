import "server-only";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { changeWithEvents, markRevoked } from "../../../connected-accounts";
import { firstReceipt, forgetReceiptsBefore } from "../../../notice-receipts";
import { answeringDatabaseOutages, jsonResponse } from "../../../http/responses"; // not the index: a receiver has no user, and needs no Auth.js
import { getDb } from "../../../db";
import { getEnv } from "../../../env";
import { log } from "../../../log";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;
/**
 * How long a notice's body is remembered. A revocation carries no time and its delivery id is not
 * signed, so the body is what identifies it: the same body again within this time is a replay
 * (or GitHub's redelivery) and changes nothing. A body first seen longer ago is forgotten, so one
 * replayed after that can mark its accounts once more, and is then remembered again.
 */
export const GITHUB_RECEIPT_DAYS = 365;
/**
 * The keys a `github_app_authorization` payload may have (GitHub's schema has `action` and `sender`;
 * older descriptions add `installation`). Other events with action `revoked` (a secret scanning
 * alert, say) carry their subject too (`alert`, `repository`).
 */
const REVOCATION_KEYS = new Set(["action", "sender", "installation"]);

/**
 * True when `header` is `sha256=` and the hex HMAC-SHA256 of `body` with `secret`, compared in
 * constant time. A header of another shape or length is false before any comparison.
 */
export function validGithubSignature(body: Buffer, header: string | null, secret: string): boolean {
  const match = SIGNATURE.exec(header ?? "");
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1]!, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POST /api/github/webhook: the GitHub App's webhook (docs/provider-notices.md). 404 without
 * GITHUB_WEBHOOK_SECRET; 401 unless X-Hub-Signature-256 signs the raw body. On
 * `github_app_authorization` with action `revoked`, the sender's GitHub accounts are marked Needs
 * reconnect, with the SHA-256 of the signed body noted in the same transaction: the same body
 * again, under any delivery id, changes nothing (GITHUB_RECEIPT_DAYS). Every other signed event is
 * answered 202 and ignored; a database outage 503, as every route answers it.
 */
export const receiveGithubWebhook = answeringDatabaseOutages(async (request: Request): Promise<Response> => {
  const secret = getEnv().GITHUB_WEBHOOK_SECRET;
  if (!secret) return jsonResponse({ error: "not_found" }, 404);
  const body = Buffer.from(await request.arrayBuffer());
  if (!validGithubSignature(body, request.headers.get("x-hub-signature-256"), secret)) {
    log.warn("github_webhook.refused", { provider: "github", code: "bad_signature" });
    return jsonResponse({ error: "bad_signature" }, 401);
  }
  if (request.headers.get("x-github-event") !== "github_app_authorization")
    return jsonResponse({ status: "ignored" }, 202);
  let payload: { action?: unknown; sender?: { id?: unknown } };
  try {
    payload = JSON.parse(body.toString("utf8")) as typeof payload;
  } catch {
    return jsonResponse({ error: "invalid_json" }, 400);
  }
  if (payload?.action !== "revoked") return jsonResponse({ status: "ignored" }, 202);
  // The event name is an unsigned header: a signed body of another event, relabelled, is not a revocation.
  if (!Object.keys(payload).every((key) => REVOCATION_KEYS.has(key))) {
    log.warn("github_webhook.refused", { provider: "github", code: "not_a_revocation" });
    return jsonResponse({ status: "ignored" }, 202);
  }
  const senderId = payload.sender?.id;
  if (typeof senderId !== "number" && typeof senderId !== "string") return jsonResponse({ error: "no_sender" }, 400);
  const bodyHash = createHash("sha256").update(body).digest("hex");
  const accounts = await getDb().account.findMany({
    where: { provider: "github", providerAccountId: String(senderId) },
    select: { id: true, userId: true, provider: true, status: true },
  });
  const marked = await changeWithEvents(async (tx, record) => {
    if (!(await firstReceipt(tx, "github-webhook", bodyHash))) return undefined;
    await forgetReceiptsBefore(tx, "github-webhook", GITHUB_RECEIPT_DAYS * 86_400);
    return markRevoked(
      tx,
      record,
      accounts,
      "revoked_at_provider",
      "the user revoked the app's authorization on GitHub",
      "revoked at GitHub",
    );
  });
  log.info(marked === undefined ? "github_webhook.replayed" : "github_webhook.applied", {
    provider: "github",
    counts: { marked: marked ?? 0 },
  });
  return jsonResponse({ status: marked === undefined ? "duplicate" : "applied" }, 202);
});
