// What the app (app/, components/) may use of lib/risc: the Cross-Account Protection receiver.
export { receiveSecurityEvent } from "./receiver";
