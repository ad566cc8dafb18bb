import { Suspense, type ReactNode } from "react";
import {
  getGoogleProfile,
  gmailLabelName,
  type GoogleResult,
  listGmailLabels,
  listRecentDriveFiles,
  listUpcomingEvents,
  GOOGLE_SCOPES,
} from "@/lib/google";
import { formatDate } from "@/lib/words";
import { GooglePanel, PanelSkeleton, type ShownGoogleAccount } from "./google-panel";
import { PanelErrorBoundary } from "./panel-error-boundary";

const listClass = "divide-y divide-zinc-200 text-sm dark:divide-zinc-800";

/** The Google demo: each panel streams in on its own and asks only for the scopes it needs. */
export function GooglePanels({
  userId,
  connectAction,
  shown,
}: {
  userId: string;
  connectAction: (formData: FormData) => Promise<void>;
  shown: ShownGoogleAccount;
}) {
  // One call per panel keeps each panel's data type tied to its own renderer.
  const panel = <T,>(
    id: string,
    title: string,
    scopes: readonly string[],
    load: () => Promise<GoogleResult<T>>,
    render: (data: T) => ReactNode,
  ) => ({
    id,
    title,
    node: (
      <GooglePanel
        id={id}
        title={title}
        scopes={scopes}
        load={load}
        render={render}
        connectAction={connectAction}
        shown={shown}
      />
    ),
  });

  const panels = [
    panel(
      "profile",
      "Google profile",
      GOOGLE_SCOPES.profile,
      () => getGoogleProfile(userId),
      (profile) => (
        <div className="flex items-center gap-3">
          {profile.picture ? (
            // eslint-disable-next-line @next/next/no-img-element -- Google-hosted avatar
            <img src={profile.picture} alt="" className="size-10 rounded-full" />
          ) : null}
          <div className="min-w-0">
            <p className="truncate text-sm font-medium" title={profile.name}>
              {profile.name}
            </p>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={profile.email}>
              {profile.email}
            </p>
          </div>
        </div>
      ),
    ),
    panel(
      "drive",
      "Recent Drive files",
      GOOGLE_SCOPES.driveFiles,
      () => listRecentDriveFiles(userId),
      (files) => (
        <ul className={listClass}>
          {files.map((file) => (
            <li
              key={file.id}
              className="flex min-w-0 flex-col gap-0.5 py-2 sm:flex-row sm:items-baseline sm:justify-between sm:gap-3"
            >
              <span className="truncate" title={file.name}>
                {file.name}
              </span>
              {file.modifiedTime ? (
                <time className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" dateTime={file.modifiedTime}>
                  {formatDate(new Date(file.modifiedTime), "minute")}
                </time>
              ) : null}
            </li>
          ))}
        </ul>
      ),
    ),
    panel(
      "calendar",
      "Next Calendar events",
      GOOGLE_SCOPES.calendarEvents,
      () => listUpcomingEvents(userId),
      (events) => (
        <ul className={listClass}>
          {events.map((event) => {
            const start = event.start.dateTime ?? event.start.date;
            return (
              <li
                key={event.id}
                className="flex min-w-0 flex-col gap-0.5 py-2 sm:flex-row sm:items-baseline sm:justify-between sm:gap-3"
              >
                <span className="truncate" title={event.summary}>
                  {event.summary ?? "(no title)"}
                </span>
                {start ? (
                  <time className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" dateTime={start}>
                    {formatDate(new Date(start), "minute")}
                  </time>
                ) : null}
              </li>
            );
          })}
        </ul>
      ),
    ),
    panel(
      "gmail",
      "Gmail labels",
      GOOGLE_SCOPES.gmailLabels,
      () => listGmailLabels(userId),
      (labels) => (
        <ul className="flex flex-wrap gap-1.5">
          {labels.map((label) => (
            <li
              key={label.id}
              title={label.type === "system" ? `Gmail label ${label.name}` : undefined}
              className={`rounded-md px-2 py-0.5 text-xs ${
                label.type === "system"
                  ? "bg-zinc-100 dark:bg-zinc-800"
                  : "bg-blue-50 text-blue-900 dark:bg-blue-950 dark:text-blue-200"
              }`}
            >
              {gmailLabelName(label)}
            </li>
          ))}
        </ul>
      ),
    ),
  ];
  // The profile and the labels are short and wide; the two lists sit side by side.
  const wide = new Set(["profile", "gmail"]);
  return (
    <div className="grid items-start gap-4 sm:grid-cols-2">
      {panels.map((panel) => (
        <div key={panel.id} className={wide.has(panel.id) ? "sm:col-span-2" : undefined}>
          <PanelErrorBoundary id={panel.id} title={panel.title}>
            <Suspense fallback={<PanelSkeleton id={panel.id} title={panel.title} />}>{panel.node}</Suspense>
          </PanelErrorBoundary>
        </div>
      ))}
    </div>
  );
}
