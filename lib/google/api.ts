import "server-only";
import { z } from "zod";
import { callGoogle, type GoogleResult } from "./call";
import { GOOGLE_SCOPES } from "./scopes";

const profileSchema = z.object({
  sub: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

const driveFilesSchema = z.object({
  files: z
    .array(z.object({ id: z.string(), name: z.string(), mimeType: z.string(), modifiedTime: z.string().optional() }))
    .default([]),
});

const eventsSchema = z.object({
  items: z
    .array(
      z.object({
        id: z.string(),
        summary: z.string().optional(),
        htmlLink: z.string().optional(),
        start: z.object({ dateTime: z.string().optional(), date: z.string().optional() }),
      }),
    )
    .default([]),
});

const labelsSchema = z.object({
  labels: z.array(z.object({ id: z.string(), name: z.string(), type: z.string().optional() })).default([]),
});

export type GoogleProfile = z.infer<typeof profileSchema>;
export type DriveFile = z.infer<typeof driveFilesSchema>["files"][number];
export type CalendarEvent = z.infer<typeof eventsSchema>["items"][number];
export type GmailLabel = z.infer<typeof labelsSchema>["labels"][number];

export function getGoogleProfile(userId: string): Promise<GoogleResult<GoogleProfile>> {
  return callGoogle(userId, {
    path: "/oauth2/v3/userinfo",
    scopes: GOOGLE_SCOPES.profile,
    schema: profileSchema,
    feature: "Profile",
  });
}

export async function listRecentDriveFiles(userId: string, count = 5): Promise<GoogleResult<DriveFile[]>> {
  const query = new URLSearchParams({
    pageSize: String(count),
    orderBy: "modifiedTime desc",
    fields: "files(id,name,mimeType,modifiedTime)",
  });
  const result = await callGoogle(userId, {
    path: `/drive/v3/files?${query}`,
    scopes: GOOGLE_SCOPES.driveFiles,
    feature: "Drive",
    schema: driveFilesSchema,
  });
  return result.ok ? { ...result, data: result.data.files } : result;
}

export async function listUpcomingEvents(userId: string, count = 5): Promise<GoogleResult<CalendarEvent[]>> {
  const query = new URLSearchParams({
    maxResults: String(count),
    singleEvents: "true",
    orderBy: "startTime",
    timeMin: new Date().toISOString(),
  });
  const result = await callGoogle(userId, {
    path: `/calendar/v3/calendars/primary/events?${query}`,
    scopes: GOOGLE_SCOPES.calendarEvents,
    feature: "Calendar",
    schema: eventsSchema,
  });
  return result.ok ? { ...result, data: result.data.items } : result;
}

export async function listGmailLabels(userId: string): Promise<GoogleResult<GmailLabel[]>> {
  const result = await callGoogle(userId, {
    path: "/gmail/v1/users/me/labels",
    scopes: GOOGLE_SCOPES.gmailLabels,
    feature: "Gmail",
    schema: labelsSchema,
  });
  return result.ok ? { ...result, data: result.data.labels } : result;
}
