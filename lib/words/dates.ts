// Every date shown to people, in one place and always in UTC (the server renders most pages, and
// its time zone is not the reader's: UTC at least says which one it is).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formats = {
  /** "Nov 23, 2026" */
  day: new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }),
  /** "November 23, 2026" */
  longDay: new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }),
  /** "Nov 23, 2026, 10:44 PM" */
  minute: new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  /** "Nov 23, 2026, 10:44:01 PM" */
  second: new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }),
};

export type DateStyle = keyof typeof formats;

/** A date in one of the few styles the pages use, in UTC. */
export function formatDate(date: Date, style: DateStyle = "day"): string {
  return formats[style].format(date);
}

/** "just now", "3 min ago", "2 h ago", "5 days ago"; a date beyond a month. */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const elapsed = Math.max(0, now.getTime() - date.getTime());
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 31) return days === 1 ? "yesterday" : `${days} days ago`;
  return `on ${formatDate(date)}`;
}

/** The exact time, for a title on hover: "Nov 23, 2026, 10:44:01 PM UTC". */
export function exactTime(date: Date): string {
  return `${formatDate(date, "second")} UTC`;
}
