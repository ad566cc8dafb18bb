import "server-only";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { isHttpsOrLoopback } from "../../../https-or-loopback";
import { findProvider, getConfiguredProviders } from "../..";

/** Google's discovery document for Cross-Account Protection (RISC). */
export const GOOGLE_RISC_DISCOVERY_URL = "https://accounts.google.com/.well-known/risc-configuration";

/**
 * A security event token issued longer ago than this is refused. Its `jti` is remembered at least
 * this long (lib/providers/google/receiver/receiver.ts), so within the window a replay is caught by its id, and after
 * it by its age.
 */
export const MAX_TOKEN_AGE_SECONDS = 24 * 3600;
/** Tolerated difference between Google's clock and ours, for `iat` in the future. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** The discovery document is read again after this long (its keys rotate on their own: see JWKS). */
const DISCOVERY_TTL_MS = 3600_000;
const FETCH_TIMEOUT_MS = 5000;

/** Why a token is refused, in the error codes of RFC 8935 (push delivery of security event tokens). */
export type RefusalCode = "invalid_request" | "invalid_key" | "invalid_issuer" | "invalid_audience";

export class TokenRefused extends Error {
  override name = "TokenRefused";
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** The receiver cannot check tokens now (Google's keys cannot be read): the sender should retry. */
export class ReceiverUnavailable extends Error {
  override name = "ReceiverUnavailable";
}

type Issuer = { issuer: string; jwks: ReturnType<typeof createRemoteJWKSet>; readAt: number };
const issuers = new Map<string, Issuer>();

/**
 * Who sends this app security events: Google's RISC discovery document and the app's Google client
 * id; and Google's OpenID issuer, which an event's subject may name instead of the RISC issuer.
 */
export type RiscSettings = { discoveryUrl: string; audience: string; openIdIssuer: string };

/** Undefined when Google is not configured (the receiver then answers 404). */
export function riscSettings(): RiscSettings | undefined {
  const google = findProvider(getConfiguredProviders(), "google");
  if (!google) return undefined;
  // The sandbox serves its own discovery document and keys beside its OpenID issuer.
  const discoveryUrl = google.sandbox
    ? `${google.urls.issuer}/.well-known/risc-configuration`
    : GOOGLE_RISC_DISCOVERY_URL;
  return { discoveryUrl, audience: google.clientId, openIdIssuer: google.urls.issuer };
}

async function readIssuer(discoveryUrl: string): Promise<Issuer> {
  const cached = issuers.get(discoveryUrl);
  if (cached && Date.now() - cached.readAt < DISCOVERY_TTL_MS) return cached;
  let document: unknown;
  try {
    const response = await fetch(discoveryUrl, {
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (cached) return cached; // keep the last good one through an outage
    throw new ReceiverUnavailable(`RISC discovery document unreadable: ${(error as Error).message}`);
  }
  const { issuer, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>;
  if (
    typeof issuer !== "string" ||
    typeof jwksUri !== "string" ||
    !URL.canParse(jwksUri) ||
    !isHttpsOrLoopback(jwksUri)
  )
    throw new ReceiverUnavailable("RISC discovery document has no usable issuer and jwks_uri");
  const fresh: Issuer = {
    issuer,
    // Reuse the key set while its address stays the same: it caches keys and refetches on a new kid.
    jwks:
      cached && cached.issuer === issuer
        ? cached.jwks
        : createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS }),
    readAt: Date.now(),
  };
  issuers.set(discoveryUrl, fresh);
  return fresh;
}

/** A verified security event token: who sent it, its id, and its events by type. */
export type SecurityEventToken = JWTPayload & {
  iss: string;
  jti: string;
  events: Record<string, Record<string, unknown>>;
};

/**
 * Checks a security event token: signed (RS256) by a key of the issuer's JWKS, from that issuer,
 * for our client id, issued within MAX_TOKEN_AGE_SECONDS and not in the future, with an id and
 * events. Throws TokenRefused, or ReceiverUnavailable when the keys cannot be read.
 */
export async function verifySecurityEventToken(token: string, settings: RiscSettings): Promise<SecurityEventToken> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) throw new TokenRefused("invalid_request", "not a signed JWT");
  const issuer = await readIssuer(settings.discoveryUrl);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, issuer.jwks, {
      algorithms: ["RS256"],
      issuer: issuer.issuer,
      audience: settings.audience,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw refusal(error);
  }
  const { jti, events } = payload as Record<string, unknown>;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 200)
    throw new TokenRefused("invalid_request", "the token has no jti");
  if (!events || typeof events !== "object" || Array.isArray(events))
    throw new TokenRefused("invalid_request", "the token has no events");
  return payload as SecurityEventToken;
}

function refusal(error: unknown): Error {
  if (error instanceof errors.JWKSTimeout)
    return new ReceiverUnavailable("the issuer's keys could not be read in time");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return new TokenRefused("invalid_issuer", "the token is from another issuer");
    if (error.claim === "aud") return new TokenRefused("invalid_audience", "the token is for another audience");
    return new TokenRefused("invalid_request", `the token's ${error.claim} claim is not acceptable: ${error.reason}`);
  }
  if (error instanceof errors.JWTExpired) return new TokenRefused("invalid_request", "the token has expired");
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return new TokenRefused("invalid_key", "the token is not signed by the issuer's keys");
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new TokenRefused("invalid_request", "the token's algorithm is not accepted");
  if (error instanceof errors.JOSEError) return new TokenRefused("invalid_request", "the token is malformed");
  if (error instanceof errors.JWKSInvalid || error instanceof TypeError)
    return new ReceiverUnavailable(`the issuer's keys are unusable: ${(error as Error).message}`);
  return error as Error;
}
