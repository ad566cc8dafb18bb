import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { changeWithEvents } from "../connected-accounts/events";
import { firstReceipt, markRevoked } from "../connected-accounts/provider-notices";
import { answeringDatabaseOutages, jsonResponse } from "../connected-accounts/responses";
import { getDb } from "../db";
import { getEnv } from "../env";
import { log } from "../log";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;
// GitHub's delivery ids are GUIDs; anything id-like and short is kept as is.
const DELIVERY_ID = /^[\w-]{1,100}$/;

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
 * reconnect, with the delivery id in the same transaction: a redelivered id changes nothing.
 * Every other signed event is answered 202 and ignored; a database outage 503, as every route answers it.
 */
export const receiveGithubWebhook = answeringDatabaseOutages(async (request: Request): Promise<Response> => {
  const secret = getEnv().GITHUB_WEBHOOK_SECRET;
  if (!secret) return jsonResponse({ error: "not_found" }, 404);
  const body = Buffer.from(await request.arrayBuffer());
  if (!validGithubSignature(body, request.headers.get("x-hub-signature-256"), secret)) {
    log.warn("github_webhook.refused", { provider: "github", code: "bad_signature" });
    return jsonResponse({ error: "bad_signature" }, 401);
  }
  const event = request.headers.get("x-github-event");
  const delivery = request.headers.get("x-github-delivery") ?? "";
  if (event !== "github_app_authorization") return jsonResponse({ status: "ignored" }, 202);
  if (!DELIVERY_ID.test(delivery)) return jsonResponse({ error: "missing_delivery_id" }, 400);
  let payload: { action?: unknown; sender?: { id?: unknown } };
  try {
    payload = JSON.parse(body.toString("utf8")) as typeof payload;
  } catch {
    return jsonResponse({ error: "invalid_json" }, 400);
  }
  const senderId = payload?.sender?.id;
  if (payload?.action !== "revoked") return jsonResponse({ status: "ignored" }, 202);
  if (typeof senderId !== "number" && typeof senderId !== "string") return jsonResponse({ error: "no_sender" }, 400);
  const accounts = await getDb().account.findMany({
    where: { provider: "github", providerAccountId: String(senderId) },
    select: { id: true, userId: true, provider: true, status: true },
  });
  const marked = await changeWithEvents(async (tx, record) => {
    if (!(await firstReceipt(tx, "github-webhook", delivery))) return undefined;
    return markRevoked(tx, record, accounts, "the user revoked the app's authorization on GitHub", "revoked at GitHub");
  });
  log.info(marked === undefined ? "github_webhook.replayed" : "github_webhook.applied", {
    provider: "github",
    counts: { marked: marked ?? 0 },
  });
  return jsonResponse({ status: marked === undefined ? "duplicate" : "applied" }, 202);
});
