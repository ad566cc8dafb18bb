// The words shown to people, in one place: error texts, confirmations, connection events and dates.
// The codes they are for live with their features (e.g. lib/http/error-codes.ts).
export { describeEvent, eventTone, reconnectAdvice, type ActivityEvent, type ActivityProvider } from "./activity";
export { confirmationText, grantResult, manageAccessWords } from "./confirmations";
export { formatDate, exactTime, relativeTime, type DateStyle } from "./dates";
export { authErrorText, connectedAccountErrorText, errorTextFromUrl, type AuthErrorText } from "./errors";
