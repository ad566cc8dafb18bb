// What the app (app/, components/) may use of lib/providers/github/receiver: the GitHub App webhook receiver.
export { receiveGithubWebhook } from "./receiver";
