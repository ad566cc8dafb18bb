import type { PushResult, SandboxRiscEvent } from "./risc";

/** The sandbox's Cross-Account Protection controls (sandbox/risc.ts), for tests and `npm run dev`. */
export function riscControl(sandboxUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandboxUrl}/control/risc${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`sandbox /control/risc${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  type EventRequest = {
    event?: SandboxRiscEvent;
    email?: string;
    /** token-revoked: subject fields (token_identifier_alg, token); others: event fields (reason). */
    extra?: Record<string, unknown>;
    /** Raw events, instead of event/email. */
    events?: Record<string, unknown>;
    /** Claims that replace the defaults (iss, aud, iat, jti); null removes one. */
    claims?: Record<string, unknown>;
  };
  return {
    /** Where "Remove access" and push send tokens: e.g. `${appUrl}/api/risc`. */
    register: (url: string) => call<{ receivers: string[] }>("POST", "/receivers", { url }),
    clear: () => call<{ receivers: string[] }>("DELETE", "/receivers"),
    /** A token signed with the sandbox's RISC key, not sent. */
    sign: async (request: EventRequest) => (await call<{ token: string }>("POST", "/sign", request)).token,
    /** A token signed and pushed to every registered receiver. */
    push: (request: EventRequest) => call<{ token: string; results: PushResult[] }>("POST", "/push", request),
  };
}
