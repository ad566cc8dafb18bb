import { SANDBOX_CLIENTS } from "../../sandbox";

/**
 * A refresh grant at the sandbox's Google token endpoint, with the client authenticated in the
 * form (`post`) or by HTTP Basic (`basic`).
 */
export function refreshGoogle(
  sandboxUrl: string,
  refreshToken: string,
  { auth = "post", signal }: { auth?: "post" | "basic"; signal?: AbortSignal } = {},
): Promise<Response> {
  const { id, secret } = SANDBOX_CLIENTS.google;
  const grant = { grant_type: "refresh_token", refresh_token: refreshToken };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "basic") headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const body = new URLSearchParams(auth === "post" ? { ...grant, client_id: id, client_secret: secret } : grant);
  return fetch(`${sandboxUrl}/google/token`, { method: "POST", headers, body, signal });
}

/** A GET to the sandbox's Google APIs, e.g. `googleApi(url, "/drive/v3/files", token)`; no token, no Authorization. */
export function googleApi(sandboxUrl: string, path: string, token?: string): Promise<Response> {
  return fetch(`${sandboxUrl}/google-api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}
