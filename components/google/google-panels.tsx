import { Suspense } from "react";
import { getGoogleProfile, listGmailLabels, listRecentDriveFiles, listUpcomingEvents } from "@/lib/google/api";
import { GooglePanel, PanelSkeleton } from "./google-panel";

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const listClass = "divide-y divide-zinc-200 text-sm dark:divide-zinc-800";

/** The Google demo: each panel streams in on its own and asks only for the scopes it needs. */
export function GooglePanels({ userId, connectAction }: { userId: string; connectAction: (formData: FormData) => Promise<void> }) {
  const panels = [
    {
      id: "profile",
      title: "Google profile",
      node: (
        <GooglePanel
          id="profile"
          title="Google profile"
          connectAction={connectAction}
          load={() => getGoogleProfile(userId)}
          render={(profile) => (
            <div className="flex items-center gap-3">
              {profile.picture ? (
                // eslint-disable-next-line @next/next/no-img-element -- Google-hosted avatar
                <img src={profile.picture} alt="" className="size-10 rounded-full" />
              ) : null}
              <div className="min-w-0">
                <p className="truncate text-sm font-medium">{profile.name}</p>
                <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{profile.email}</p>
              </div>
            </div>
          )}
        />
      ),
    },
    {
      id: "drive",
      title: "Recent Drive files",
      node: (
        <GooglePanel
          id="drive"
          title="Recent Drive files"
          connectAction={connectAction}
          load={() => listRecentDriveFiles(userId)}
          render={(files) => (
            <ul className={listClass}>
              {files.map((file) => (
                <li key={file.id} className="flex justify-between gap-3 py-2">
                  <span className="truncate">{file.name}</span>
                  {file.modifiedTime ? (
                    <time className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" dateTime={file.modifiedTime}>
                      {dateTime.format(new Date(file.modifiedTime))}
                    </time>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        />
      ),
    },
    {
      id: "calendar",
      title: "Next Calendar events",
      node: (
        <GooglePanel
          id="calendar"
          title="Next Calendar events"
          connectAction={connectAction}
          load={() => listUpcomingEvents(userId)}
          render={(events) => (
            <ul className={listClass}>
              {events.map((event) => {
                const start = event.start.dateTime ?? event.start.date;
                return (
                  <li key={event.id} className="flex justify-between gap-3 py-2">
                    <span className="truncate">{event.summary ?? "(no title)"}</span>
                    {start ? (
                      <time className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" dateTime={start}>
                        {dateTime.format(new Date(start))}
                      </time>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        />
      ),
    },
    {
      id: "gmail",
      title: "Gmail labels",
      node: (
        <GooglePanel
          id="gmail"
          title="Gmail labels"
          connectAction={connectAction}
          load={() => listGmailLabels(userId)}
          render={(labels) => (
            <ul className="flex flex-wrap gap-1.5">
              {labels.map((label) => (
                <li key={label.id} className="rounded-md bg-zinc-100 px-2 py-0.5 text-xs dark:bg-zinc-800">
                  {label.name}
                </li>
              ))}
            </ul>
          )}
        />
      ),
    },
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {panels.map((panel) => (
        <Suspense key={panel.id} fallback={<PanelSkeleton id={panel.id} title={panel.title} />}>
          {panel.node}
        </Suspense>
      ))}
    </div>
  );
}
