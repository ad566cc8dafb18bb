import { existsSync } from "node:fs";

/**
 * Whether this tree still has the Google demo (components/google). Its removal
 * (docs/providers.md, "Removing the Google demo") leaves the browser tests runnable: the tests
 * about the panels skip, and the others wait for the Google card instead of a panel.
 */
// Relative to the repository root, where Playwright runs (as the specs' "e2e/screenshots").
export const GOOGLE_DEMO = existsSync("components/google");

export const WITHOUT_GOOGLE_DEMO = "the Google demo (components/google) was removed";

/** What shows the Connected accounts page has streamed in with the user's Google account. */
export const GOOGLE_LOADED_TEST_ID = GOOGLE_DEMO ? "google-panel-profile" : "provider-card-google";
