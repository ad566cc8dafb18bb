import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SignJWT, type JWTPayload } from "jose";
import { GOOGLE_CLIENT } from "./google-idp";
import { isLoopbackRedirect, readBody, readParams, redirect, sendHtml, sendJson } from "./http";
import { googleSubject, SANDBOX_USERS } from "./users";

/**
 * Google's Cross-Account Protection (RISC) in the sandbox: a discovery document and keys beside the
 * OpenID issuer (/google), a "Manage third-party access" page whose "Remove access" revokes the
 * grant and pushes a signed `tokens-revoked` security event token to every registered receiver,
 * and /control/risc for tests (register a receiver, sign or push a token).
 */

const RISC_EVENT = "https://schemas.openid.net/secevent/risc/event-type/";
export const SANDBOX_RISC_EVENTS = {
  "token-revoked": "https://schemas.openid.net/secevent/oauth/event-type/token-revoked",
  "tokens-revoked": `${RISC_EVENT}tokens-revoked`,
  "sessions-revoked": `${RISC_EVENT}sessions-revoked`,
  "account-disabled": `${RISC_EVENT}account-disabled`,
  "account-enabled": `${RISC_EVENT}account-enabled`,
  "account-purged": `${RISC_EVENT}account-purged`,
  "account-credential-change-required": `${RISC_EVENT}account-credential-change-required`,
  verification: `${RISC_EVENT}verification`,
} as const;
export type SandboxRiscEvent = keyof typeof SANDBOX_RISC_EVENTS;

const KEY_ID = "sandbox-risc";

// One RSA key per process, like the OpenID key: generating one takes up to a few hundred ms.
let sharedKey: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;
function riscKey() {
  if (!sharedKey) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    sharedKey = { privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid: KEY_ID, alg: "RS256", use: "sig" } };
  }
  return sharedKey;
}

type GoogleGrants = {
  grantsOf(email: string): { grantId: string; clientId: string; sub: string; scopes: string[] }[];
  revokeGrant(grantId: string): void;
};

export type PushResult = { url: string; status: number | string };

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function createRisc(base: string, google: GoogleGrants, log: (line: string) => void = () => {}) {
  const issuer = `${base}/google`;
  const receivers = new Set<string>();

  /** A security event token as Google signs one; `claims` replace or add to the defaults. */
  async function sign(events: Record<string, unknown>, claims: Record<string, unknown> = {}): Promise<string> {
    const payload: Record<string, unknown> = {
      iss: issuer,
      aud: GOOGLE_CLIENT.id,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      events,
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
    return new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ alg: "RS256", kid: KEY_ID, typ: "secevent+jwt" })
      .sign(riscKey().privateKey);
  }

  /** The events of one kind about the Google account of `email`. */
  function eventsFor(kind: SandboxRiscEvent, email: string, extra: Record<string, unknown> = {}) {
    const subject =
      kind === "token-revoked"
        ? { subject_type: "oauth_token", token_type: "refresh_token", ...extra }
        : { subject_type: "iss-sub", iss: issuer, sub: googleSubject(email) };
    const fields = kind === "token-revoked" ? {} : extra;
    return { [SANDBOX_RISC_EVENTS[kind]]: { subject, ...fields } };
  }

  /** Pushes a token to every registered receiver (RFC 8935), and says what each answered. */
  async function push(token: string): Promise<PushResult[]> {
    return Promise.all(
      [...receivers].map(async (url): Promise<PushResult> => {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/secevent+jwt", Accept: "application/json" },
            body: token,
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          log(`risc push to ${url}: ${response.status}`);
          return { url, status: response.status };
        } catch (error) {
          log(`risc push to ${url} failed: ${String(error)}`);
          return { url, status: (error as Error).message };
        }
      }),
    );
  }

  async function discovery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET") return sendJson(res, 405, { error: "use GET" });
    sendJson(res, 200, {
      issuer,
      jwks_uri: `${base}/google/risc-keys`,
      delivery_methods_supported: ["https://schemas.openid.net/secevent/risc/delivery-method/push"],
      add_subject_endpoint: `${base}/control/risc/receivers`,
      remove_subject_endpoint: `${base}/control/risc/receivers`,
    });
  }

  async function keys(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET") return sendJson(res, 405, { error: "use GET" });
    sendJson(res, 200, { keys: [riscKey().jwk] });
  }

  /** GET /google/permissions[?email=…] and POST /google/permissions/remove (email, client_id). */
  async function permissions(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const url = new URL(rest, "http://sandbox");
    if (req.method === "POST" && url.pathname === "/remove") {
      const params = await readParams(req);
      const email = (params.email ?? "").trim().toLowerCase();
      const clientId = params.client_id ?? "";
      const grants = google.grantsOf(email).filter((grant) => grant.clientId === clientId);
      for (const grant of grants) google.revokeGrant(grant.grantId);
      let results: PushResult[] = [];
      if (grants.length > 0) results = await push(await sign(eventsFor("tokens-revoked", email)));
      const delivered = results.filter((result) => result.status === 202).length;
      const query = new URLSearchParams({
        email,
        removed: clientId,
        notified: `${delivered}/${results.length}`,
      });
      return redirect(res, `/google/permissions?${query}`);
    }
    if (req.method !== "GET" || url.pathname !== "/") return sendJson(res, 404, { error: "not found" });
    const email = (url.searchParams.get("email") ?? "").trim().toLowerCase();
    sendHtml(
      res,
      200,
      email
        ? grantsPage(email, google.grantsOf(email), url.searchParams.get("removed"), url.searchParams.get("notified"))
        : chooserPage(),
    );
  }

  /** /control/risc/…: receivers (GET, POST {url}, DELETE), sign (POST {events, claims}), push (POST). */
  async function control(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const path = new URL(rest, "http://sandbox").pathname;
    if (path === "/receivers") {
      if (req.method === "GET") return sendJson(res, 200, { receivers: [...receivers] });
      if (req.method === "DELETE") {
        receivers.clear();
        return sendJson(res, 200, { receivers: [] });
      }
      if (req.method !== "POST") return sendJson(res, 405, { error: "use GET, POST or DELETE" });
      const { url = "" } = await readParams(req);
      // The sandbox pushes only to this machine, as it serves only this machine.
      if (!isLoopbackRedirect(url)) return sendJson(res, 400, { error: "url must be an http(s) URL on loopback" });
      receivers.add(url);
      return sendJson(res, 200, { receivers: [...receivers] });
    }
    if (req.method !== "POST") return sendJson(res, 405, { error: "use POST" });
    const text = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, { error: "send JSON" });
    }
    const kind = String(body.event ?? "") as SandboxRiscEvent;
    const events =
      body.events && typeof body.events === "object"
        ? (body.events as Record<string, unknown>)
        : kind in SANDBOX_RISC_EVENTS
          ? eventsFor(kind, String(body.email ?? "").toLowerCase(), (body.extra ?? {}) as Record<string, unknown>)
          : undefined;
    if (!events)
      return sendJson(res, 400, { error: `events, or event (${Object.keys(SANDBOX_RISC_EVENTS).join("|")})` });
    const token = await sign(events, (body.claims ?? {}) as Record<string, unknown>);
    if (path === "/sign") return sendJson(res, 200, { token });
    if (path === "/push") return sendJson(res, 200, { token, results: await push(token) });
    return sendJson(res, 404, { error: "unknown risc control action" });
  }

  const routes: [string, (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>][] = [
    ["/google/.well-known/risc-configuration", discovery],
    ["/google/risc-keys", keys],
    ["/google/permissions", permissions],
    ["/control/risc", control],
  ];
  return { routes, issuer };
}

const PAGE_STYLE = `
:root{color-scheme:light dark;font-family:ui-sans-serif,system-ui,sans-serif}
body{margin:0;min-height:100vh;background:#f4f4f5;color:#18181b}
main{box-sizing:border-box;width:min(36rem,calc(100% - 2rem));margin:2rem auto;background:#fff;border:1px solid #e4e4e7;border-radius:16px;padding:1.25rem;box-shadow:0 1px 2px #0001}
h1{font-size:1.25rem;margin:.5rem 0 .25rem}h2{font-size:1rem;margin:0;overflow-wrap:anywhere}
p{margin:.25rem 0 1rem;color:#52525b;font-size:.9rem;overflow-wrap:anywhere}
.badge{display:inline-block;background:#fef3c7;color:#92400e;border-radius:999px;padding:.1rem .6rem;font-size:.75rem;font-weight:600}
.app{border:1px solid #e4e4e7;border-radius:12px;padding:1rem;margin:.75rem 0}
ul{font-size:.8rem;color:#52525b;padding-left:1.2rem;margin:.5rem 0 .75rem}li{overflow-wrap:anywhere}
button{width:100%;min-height:44px;padding:.6rem .9rem;border-radius:10px;font:inherit;cursor:pointer;border:1px solid #d4d4d8;background:#fff;color:inherit;text-align:left}
button.danger{background:#b91c1c;border-color:#b91c1c;color:#fff;text-align:center;font-weight:600}
button:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.status{background:#ecfdf5;color:#065f46;border-radius:10px;padding:.6rem .8rem;font-size:.9rem}
label{display:block;font-size:.85rem;margin-top:1rem}
input[type=email]{width:100%;box-sizing:border-box;margin-top:.3rem;padding:.6rem;border:1px solid #d4d4d8;border-radius:8px;font:inherit}
@media (prefers-color-scheme:dark){body{background:#09090b;color:#f4f4f5}main,.app{background:#18181b;border-color:#27272a}p,ul{color:#a1a1aa}button{background:#18181b;border-color:#3f3f46}.status{background:#064e3b;color:#d1fae5}input[type=email]{background:#09090b;color:inherit;border-color:#3f3f46}}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${PAGE_STYLE}</style></head><body><main>
<span class="badge">Local sandbox — not the real Google</span>${body}</main></body></html>`;
}

function chooserPage(): string {
  const users = SANDBOX_USERS.map(
    (user) =>
      `<button type="submit" name="email" value="${escape(user.email)}">${escape(user.name)} — ${escape(user.email)}</button>`,
  ).join("");
  return page(
    "Sandbox Google — Manage third-party access",
    `<h1>Manage third-party access</h1><p>Choose the test account whose connections to see.</p>
<form method="get" action="/google/permissions">${users}</form>
<form method="get" action="/google/permissions"><label>Or any email<input type="email" name="email" required placeholder="someone@example.com"></label>
<button type="submit">Show its connections</button></form>`,
  );
}

function grantsPage(
  email: string,
  grants: { clientId: string; scopes: string[] }[],
  removed: string | null,
  notified: string | null,
): string {
  const byClient = new Map<string, Set<string>>();
  for (const grant of grants) {
    const scopes = byClient.get(grant.clientId) ?? new Set<string>();
    grant.scopes.forEach((scope) => scopes.add(scope));
    byClient.set(grant.clientId, scopes);
  }
  const status = removed
    ? `<p class="status" role="status">Access removed for ${escape(removed)}. Security event sent: ${escape(notified ?? "0/0")} receivers accepted it.</p>`
    : "";
  const apps = [...byClient]
    .map(
      ([clientId, scopes]) => `<section class="app" aria-label="${escape(clientId)}"><h2>${escape(clientId)}</h2>
<p>Has access to:</p><ul>${[...scopes].map((scope) => `<li><code>${escape(scope)}</code></li>`).join("")}</ul>
<form method="post" action="/google/permissions/remove"><input type="hidden" name="email" value="${escape(email)}">
<input type="hidden" name="client_id" value="${escape(clientId)}"><button type="submit" class="danger">Remove access</button></form></section>`,
    )
    .join("");
  return page(
    "Sandbox Google — Manage third-party access",
    `<h1>Manage third-party access</h1><p>Apps with access to <strong>${escape(email)}</strong>.</p>${status}
${apps || "<p>No third-party apps have access to this account.</p>"}
<p><a href="/google/permissions">Choose another account</a></p>`,
  );
}
