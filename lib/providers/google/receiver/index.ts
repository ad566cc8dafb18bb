// What the app (app/, components/) may use of lib/providers/google/receiver: the Cross-Account Protection receiver.
export { receiveSecurityEvent } from "./receiver";
