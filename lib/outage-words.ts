/** What a person reads while the database is away, in the app's page and in the proxy's 503 page alike. */
export const OUTAGE_RETRY_SECONDS = 5;
export const OUTAGE_TITLE = "Temporarily unavailable";
export const OUTAGE_TEXT = `The service cannot reach its database right now. You are still signed in and nothing was lost. This page tries again by itself every ${OUTAGE_RETRY_SECONDS} seconds.`;
