// What the app (app/, components/) may use of lib/microsoft: the Microsoft 365 demo's Graph calls.
export { listRecentOneDriveFiles, ONEDRIVE_SCOPE, type OneDriveFile, type OneDriveResult } from "./onedrive";
