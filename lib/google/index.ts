// What the app (app/, components/) may use of lib/google.
export {
  getGoogleProfile,
  listGmailLabels,
  listRecentDriveFiles,
  listUpcomingEvents,
  type CalendarEvent,
  type DriveFile,
  type GmailLabel,
  type GoogleProfile,
} from "./api";
export { callGoogle, type GoogleResult } from "./call";
export { gmailLabelName } from "./gmail-labels";
export { GOOGLE_SCOPES } from "./scopes";
