import "server-only";
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { bareHostname, isLoopbackAddress, isLoopbackHost, isPrivateAddress } from "./addresses";

/** A Client ID Metadata Document is a few hundred bytes; this is plenty, and bounds what we read. */
export const MAX_DOCUMENT_BYTES = 8 * 1024;
export const DOCUMENT_TIMEOUT_MS = 5_000;

export type DocumentFetch = { ok: true; json: unknown } | { ok: false; problem: string };

/**
 * Whether `value` may be a Client ID Metadata Document URL: https with a path (or http on
 * loopback, when `allowLoopback`), no credentials, no fragment.
 */
export function documentUrlProblem(value: string, allowLoopback: boolean): string | undefined {
  if (!URL.canParse(value)) return "is not a URL";
  const url = new URL(value);
  if (url.hash !== "" || value.includes("#")) return "has a fragment";
  if (url.username !== "" || url.password !== "") return "carries credentials";
  if (url.pathname === "/" || url.pathname === "") return "has no path";
  // An address written in the URL is connected to without a lookup: judge it here.
  if (isPrivateAddress(bareHostname(url))) return "points at a private address";
  if (isLoopbackHost(url)) return allowLoopback ? undefined : "points at this machine";
  if (url.protocol !== "https:") return "is not https";
  return undefined;
}

/**
 * Fetches a Client ID Metadata Document without letting its URL lead the server somewhere it
 * should not go (SSRF): the address the connection uses is the one checked (a DNS answer that
 * changes between check and use cannot slip through), redirects are not followed, and the answer
 * is bounded in size and time.
 */
export function fetchClientDocument(url: URL, allowLoopback: boolean): Promise<DocumentFetch> {
  const problem = documentUrlProblem(url.href, allowLoopback);
  if (problem) return Promise.resolve({ ok: false, problem: `the URL ${problem}` });
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const done = (result: DocumentFetch) => {
      request.destroy();
      resolve(result);
    };
    const request = client.get(
      url,
      {
        headers: { accept: "application/json" },
        lookup: guardedLookup(allowLoopback),
        timeout: DOCUMENT_TIMEOUT_MS,
        signal: AbortSignal.timeout(DOCUMENT_TIMEOUT_MS),
      },
      (response) => {
        if (response.statusCode !== 200) return done({ ok: false, problem: `it answered ${response.statusCode}` });
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DOCUMENT_BYTES) return done({ ok: false, problem: `it is over ${MAX_DOCUMENT_BYTES} bytes` });
          chunks.push(chunk);
        });
        response.on("end", () => {
          try {
            done({ ok: true, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
          } catch {
            done({ ok: false, problem: "it is not JSON" });
          }
        });
        response.on("error", () => done({ ok: false, problem: "the answer broke off" }));
      },
    );
    request.on("timeout", () => done({ ok: false, problem: `no answer in ${DOCUMENT_TIMEOUT_MS / 1000} s` }));
    request.on("error", (error) => done({ ok: false, problem: error.message }));
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup, refusing every answer that holds a private address (or loopback, unless allowed). */
function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find(
        ({ address }) => isPrivateAddress(address) || (!allowLoopback && isLoopbackAddress(address)),
      );
      if (refused || addresses.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address`);
        refusal.code = "EPRIVATE";
        return callback(refusal, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
