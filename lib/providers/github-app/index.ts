import { github } from "../github";
import type { Provider } from "../types";
import { githubAppDefinition } from "./definition";

/** GitHub's Auth.js provider, revocation and verified email, for the repository-access GitHub App. */
export const githubApp = { ...github, ...githubAppDefinition } as const satisfies Provider;
