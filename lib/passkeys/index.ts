// What the app (app/, components/) may use of lib/passkeys.
export {
  addPasskey,
  confirmationOptions,
  confirmWithPasskey,
  listPasskeys,
  MAX_PASSKEYS,
  registrationOptions,
  removePasskey,
  type PasskeySummary,
} from "./passkeys";
export {
  browserErrorTexts,
  isPasskeyErrorCode,
  passkeyErrorText,
  type BrowserErrorTexts,
  type PasskeyErrorCode,
} from "./errors";
export { relyingParty } from "./relying-party";
export { recentSecurityEvents } from "./security-events";
export { authenticationResponseField, passkeyNameField, registrationResponseField } from "./response-fields";
