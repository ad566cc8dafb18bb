// What the app (app/, components/) may use of lib/auth; the other modules here are its insides.
export { auth, currentSession, handlers, signIn, signOut } from "./session";
export { requireUser, signedInUser, type SignedInUser } from "./require-user";
export { formAction, userAction, type ActionRefusal } from "./user-action";
export { authErrorText, safeCallbackPath, type AuthErrorText } from "./error-messages";
export { isRecentlyVerified } from "./recent-sign-in";
export { confirmsWithProvider, reverificationFactor, type ReverificationFactor } from "./reverification";
export { beginAccountFlow } from "./begin-account-flow";
export { getOrLinkConnectedAccount } from "./get-or-link-account";
export { forgetAccountFlow } from "./account-flow";
export { endOtherSessions, listSessions, type SessionSummary } from "./sessions";
export { displayNameField, readProfile, renameUser, type Profile } from "./profile";
