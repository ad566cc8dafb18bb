import { githubDefinition } from "../github/definition";
import type { ProviderDefinition } from "../types";

// A GitHub App the user authorizes for repository access only: for connecting, never for signing
// in. GitHub's endpoints, words and errors, with its own client and scope.
export const githubAppDefinition = {
  ...githubDefinition,
  id: "github-app",
  label: "GitHub repositories",
  // A GitHub App's access is the permissions set on the app at GitHub: GitHub ignores `scope` and
  // answers an empty one, so `repo` stands for those permissions and is never counted as refused.
  defaultScopes: ["repo"],
  unechoedScopes: ["repo"],
  scopeLabels: { repo: "Your repositories, as far as this GitHub App's permissions reach" },
  credentialsEnv: { id: "AUTH_GITHUB_APP_ID", secret: "AUTH_GITHUB_APP_SECRET", client: "GitHub App client" },
  // The sandbox's GitHub App client: 8-hour tokens and a refresh token that rotates on every use.
  sandboxClient: { id: "sandbox-github-app", secret: "sandbox-github-app-secret" },
  manageAccessUrl: "https://github.com/settings/apps/authorizations",
  connectOnly: true,
} as const satisfies ProviderDefinition;
