import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import type { ActionError as Failed } from "@/components/connected-accounts/action-state";
/** The session's confirmation is too old: confirm at `url` first. */
type ConfirmFirst = { status: "confirm"; url: string };

/** What a passkey server action tells the page: a message to show, or where to go. */
export type PasskeyActionState =
  | { status: "idle" }
  | { status: "success"; message: string; id: number }
  | Failed
  | ConfirmFirst
  /** Confirmed: load `url` to carry on with the change. */
  | { status: "continue"; url: string };

/** Step 1 of a ceremony: the options for the browser, or why not. */
export type RegistrationStart =
  { status: "options"; options: PublicKeyCredentialCreationOptionsJSON } | Failed | ConfirmFirst;

export type ConfirmationStart = { status: "options"; options: PublicKeyCredentialRequestOptionsJSON } | Failed;

export const idlePasskeyState: PasskeyActionState = { status: "idle" };
