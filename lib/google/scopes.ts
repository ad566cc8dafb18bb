/** The Google scopes each feature of the demo needs: each panel asks for exactly these. */
export const GOOGLE_SCOPES = {
  profile: ["openid", "email", "profile"],
  driveFiles: ["https://www.googleapis.com/auth/drive.metadata.readonly"],
  calendarEvents: ["https://www.googleapis.com/auth/calendar.readonly"],
  gmailLabels: ["https://www.googleapis.com/auth/gmail.labels"],
} as const satisfies Record<string, readonly string[]>;
