import { receiveGithubWebhook } from "@/lib/providers/github/receiver";

export const dynamic = "force-dynamic";

/** POST /api/github/webhook — a GitHub App's webhook; acts on github_app_authorization (docs/provider-notices.md). */
export const POST = receiveGithubWebhook;
