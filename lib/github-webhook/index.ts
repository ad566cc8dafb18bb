// What the app (app/, components/) may use of lib/github-webhook: the GitHub App webhook receiver.
export { receiveGithubWebhook } from "./receiver";
