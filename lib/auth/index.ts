// What the app (app/, components/) may use of lib/auth; the other modules here are its insides.
export { handlers, signIn, signOut } from "./session";
export { requireUser, signedInUser, type SignedInUser } from "./require-user";
export { safeCallbackPath } from "./safe-callback-path";
export { isRecentlyReverified } from "./recent-sign-in";
export { confirmsWithProvider, reverificationFactor, type ReverificationFactor } from "./reverification";
export { beginAccountFlow } from "./redirect-to-provider";
export { getOrLinkConnectedAccount } from "./get-or-link-account";
export { forgetAccountFlow } from "./account-flow-cookie";
export { endOtherSessions, listSessions, type SessionSummary } from "./sessions";
export { displayNameField, readProfile, renameUser, type Profile } from "./profile";
export { readAccountChange, signAccountChange, spendAccountChange, type AccountChange } from "./pending-change";
