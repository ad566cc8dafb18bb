/** Why a passkey could not be added, used or removed; each is said once, here. */
export type PasskeyErrorCode =
  | "passkeys_unavailable"
  | "challenge_expired"
  | "not_verified"
  | "not_yours"
  | "counter_regressed"
  | "already_added"
  | "too_many"
  | "not_found"
  | "cancelled"
  | "browser_unsupported";

const words: Record<PasskeyErrorCode, string> = {
  passkeys_unavailable: "Passkeys are not available on this server: it needs AUTH_URL set to an https address.",
  challenge_expired: "That took too long, or was started in another tab. Try again.",
  not_verified: "The passkey's answer could not be verified. Try again, and unlock it with your PIN or fingerprint.",
  not_yours: "That passkey does not belong to this account. Use one you added here.",
  counter_regressed:
    "That passkey was refused: it answered as if it had been copied. Use another passkey, and remove this one if you do not recognise why.",
  already_added: "That passkey is already added to an account.",
  too_many: "You have the most passkeys an account may have. Remove one first.",
  not_found: "That passkey does not exist or is not yours.",
  cancelled: "No passkey answered, or it was cancelled. Try again when your passkey is at hand.",
  browser_unsupported: "This browser cannot use passkeys here. Try another browser, or confirm another way.",
};

/** The words a browser's WebAuthn failure may need: handed to the client components that show them. */
export function browserErrorTexts(): BrowserErrorTexts {
  return {
    cancelled: words.cancelled,
    already_added: words.already_added,
    browser_unsupported: words.browser_unsupported,
  };
}

export type BrowserErrorTexts = Record<"cancelled" | "already_added" | "browser_unsupported", string>;

export function passkeyErrorText(code: PasskeyErrorCode): string {
  return words[code];
}

export function isPasskeyErrorCode(value: unknown): value is PasskeyErrorCode {
  return typeof value === "string" && Object.hasOwn(words, value);
}
