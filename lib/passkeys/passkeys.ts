import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import { Prisma } from "@prisma/client";
import { markSessionReverified } from "../auth/recent-sign-in";
import type { SignedInUser } from "../auth/require-user";
import { changeWithEvents } from "../connected-accounts";
import { getDb } from "../db";
import { log } from "../log";
import { describeError, failure, type Result } from "../result";
import { saveChallenge, takeChallenge, CHALLENGE_TTL_SECONDS } from "./challenges";
import type { PasskeyErrorCode } from "./errors";
import { relyingParty, type RelyingParty } from "./relying-party";

/** Enough for a phone, a laptop and a few security keys; keeps one account's rows bounded. */
export const MAX_PASSKEYS = 10;

/** The provider name passkey events carry (docs/events.md). */
export const PASSKEY_PROVIDER = "passkey";

export type PasskeySummary = {
  credentialID: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced to a cloud account (e.g. a phone's password manager), so it outlives one device. */
  backedUp: boolean;
};

export async function listPasskeys(userId: string): Promise<PasskeySummary[]> {
  const rows = await getDb().authenticator.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { credentialID: true, name: true, createdAt: true, lastUsedAt: true, credentialBackedUp: true },
  });
  return rows.map(({ credentialBackedUp, ...row }) => ({ ...row, backedUp: credentialBackedUp }));
}

export async function countPasskeys(userId: string): Promise<number> {
  return getDb().authenticator.count({ where: { userId } });
}

type Options<T> = Result<{ options: T }, PasskeyErrorCode>;

/** Step 1 of adding a passkey: what the browser passes to navigator.credentials.create(). */
export async function registrationOptions(
  user: SignedInUser,
): Promise<Options<PublicKeyCredentialCreationOptionsJSON>> {
  const rp = relyingParty();
  if (!rp) return failure("passkeys_unavailable", "AUTH_URL is unset, or neither https nor http://localhost");
  const existing = await getDb().authenticator.findMany({
    where: { userId: user.id },
    select: { credentialID: true, transports: true },
  });
  if (existing.length >= MAX_PASSKEYS) return failure("too_many", `${existing.length} passkeys already`);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email ?? user.name ?? user.id,
    userDisplayName: user.name ?? user.email ?? "",
    // The user handle is our user id: a discoverable passkey says whose it is.
    userID: isoUint8Array.fromUTF8String(user.id),
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    attestationType: "none",
    // One passkey per authenticator: the browser refuses to make a second on a device that has one.
    excludeCredentials: existing.map(({ credentialID, transports }) => ({
      id: credentialID,
      transports: parseTransports(transports),
    })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
  await saveChallenge(user, "register", options.challenge);
  return { ok: true, options };
}

/** Step 2: checks the browser's answer against this session's challenge and stores the passkey. */
export async function addPasskey(
  user: SignedInUser,
  name: string,
  response: RegistrationResponseJSON,
): Promise<Result<{ credentialID: string }, PasskeyErrorCode>> {
  const rp = relyingParty();
  if (!rp) return failure("passkeys_unavailable", "no relying party");
  const challenge = await takeChallenge(user, "register");
  if (!challenge) return failure("challenge_expired", "no live registration challenge for this session");

  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    return refused(user, "not_verified", `registration: ${describeError(error)}`);
  }
  if (!verified.verified) return refused(user, "not_verified", "registration not verified");
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;

  try {
    return await changeWithEvents(async (tx, record) => {
      // Counted again inside the write: two tabs adding at once stay within the limit.
      await tx.$executeRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
      if ((await tx.authenticator.count({ where: { userId: user.id } })) >= MAX_PASSKEYS)
        return failure("too_many", "limit reached while adding");
      await tx.authenticator.create({
        data: {
          credentialID: credential.id,
          userId: user.id,
          providerAccountId: credential.id,
          credentialPublicKey: isoBase64URL.fromBuffer(credential.publicKey),
          counter: credential.counter,
          credentialDeviceType,
          credentialBackedUp,
          transports: credential.transports?.join(",") ?? null,
          name,
        },
      });
      record({ type: "security.passkey_added", userId: user.id, accountId: credential.id, provider: PASSKEY_PROVIDER });
      return { ok: true as const, credentialID: credential.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return refused(user, "already_added", "credential ID already stored");
    throw error;
  }
}

/** Step 1 of confirming with a passkey: the challenge, and which of the user's passkeys may answer. */
export async function confirmationOptions(user: SignedInUser): Promise<Options<PublicKeyCredentialRequestOptionsJSON>> {
  const rp = relyingParty();
  if (!rp) return failure("passkeys_unavailable", "no relying party");
  const passkeys = await getDb().authenticator.findMany({
    where: { userId: user.id },
    select: { credentialID: true, transports: true },
  });
  if (passkeys.length === 0) return failure("not_found", "this user has no passkey");
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    userVerification: "required",
    allowCredentials: passkeys.map(({ credentialID, transports }) => ({
      id: credentialID,
      transports: parseTransports(transports),
    })),
  });
  await saveChallenge(user, "confirm", options.challenge);
  return { ok: true, options };
}

/**
 * Step 2: the user is present. Checks the answer against this session's challenge (once), that
 * the passkey is this user's, that its owner unlocked it (user verification), and that its counter
 * went forward; then marks the session verified and records `security.reverified`.
 */
export async function confirmWithPasskey(
  user: SignedInUser,
  response: AuthenticationResponseJSON,
): Promise<Result<object, PasskeyErrorCode>> {
  const rp = relyingParty();
  if (!rp) return failure("passkeys_unavailable", "no relying party");
  const challenge = await takeChallenge(user, "confirm");
  if (!challenge) return failure("challenge_expired", "no live confirmation challenge for this session");

  const stored = await getDb().authenticator.findUnique({ where: { credentialID: response.id } });
  if (!stored || stored.userId !== user.id)
    return refused(user, "not_yours", stored ? "the passkey of another user" : "an unknown credential");

  const verified = await verifyAssertion(rp, challenge, response, stored);
  if (!verified.ok) return refused(user, "not_verified", verified.detail);
  const { newCounter, credentialBackedUp } = verified;

  // A passkey that counts reports a higher number every time. A lower or equal one means two
  // copies of its key exist (a cloned authenticator): refuse, and leave the stored count alone.
  // Synced passkeys report 0 every time, which says nothing either way.
  const counts = newCounter > 0 || stored.counter > 0;
  if (counts && newCounter <= stored.counter) {
    log.warn("passkey.counter_regressed", {
      userId: user.id,
      accountId: stored.credentialID,
      reason: `counter ${newCounter} after ${stored.counter}`,
    });
    await changeWithEvents(async (_tx, record) =>
      record({
        type: "security.passkey_refused",
        userId: user.id,
        accountId: stored.credentialID,
        provider: PASSKEY_PROVIDER,
        reason: `counter went backwards: ${newCounter} after ${stored.counter}`,
      }),
    );
    return failure("counter_regressed", `counter ${newCounter} after ${stored.counter}`);
  }

  return changeWithEvents(async (tx, record) => {
    // Compare-and-set: of two answers with one counter value, only the first counts.
    const updated = await tx.$executeRaw`
      UPDATE "Authenticator" SET counter = ${newCounter}, "credentialBackedUp" = ${credentialBackedUp},
        "lastUsedAt" = now()
      WHERE "credentialID" = ${stored.credentialID} AND "userId" = ${user.id} AND counter = ${stored.counter}`;
    if (updated !== 1) return failure("counter_regressed", "the counter moved during this confirmation");
    await markSessionReverified(user.sessionId, user.id, tx);
    record({
      type: "security.reverified",
      userId: user.id,
      accountId: stored.credentialID,
      provider: PASSKEY_PROVIDER,
      reason: "passkey",
    });
    return { ok: true as const };
  });
}

type StoredPasskey = { credentialID: string; credentialPublicKey: string; counter: number; transports: string | null };

async function verifyAssertion(
  rp: RelyingParty,
  challenge: string,
  response: AuthenticationResponseJSON,
  stored: StoredPasskey,
): Promise<{ ok: true; newCounter: number; credentialBackedUp: boolean } | { ok: false; detail: string }> {
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: stored.credentialID,
        publicKey: isoBase64URL.toBuffer(stored.credentialPublicKey),
        // The counter is compared by confirmWithPasskey, which can then tell a clone from a bad signature.
        counter: 0,
        transports: parseTransports(stored.transports),
      },
    });
    if (!verified) return { ok: false, detail: "assertion not verified" };
    return {
      ok: true,
      newCounter: authenticationInfo.newCounter,
      credentialBackedUp: authenticationInfo.credentialBackedUp,
    };
  } catch (error) {
    return { ok: false, detail: `assertion: ${describeError(error)}` };
  }
}

/** Removes one of the user's passkeys (the caller has checked the session was just confirmed). */
export async function removePasskey(user: SignedInUser, credentialID: string): Promise<Result<object, "not_found">> {
  return changeWithEvents(async (tx, record) => {
    const { count } = await tx.authenticator.deleteMany({ where: { userId: user.id, credentialID } });
    if (count === 0) return failure("not_found", "no such passkey for this user");
    record({ type: "security.passkey_removed", userId: user.id, accountId: credentialID, provider: PASSKEY_PROVIDER });
    return { ok: true as const };
  });
}

function refused<T extends object>(
  user: SignedInUser,
  code: PasskeyErrorCode,
  detail: string,
): Result<T, PasskeyErrorCode> {
  log.warn("passkey.refused", { userId: user.id, code, reason: detail });
  return failure(code, detail);
}

const TRANSPORTS: ReadonlySet<string> = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

/** Auth.js keeps transports comma-separated. */
function parseTransports(value: string | null): AuthenticatorTransport[] | undefined {
  const list = (value ?? "").split(",").filter((item) => TRANSPORTS.has(item)) as AuthenticatorTransport[];
  return list.length > 0 ? list : undefined;
}
