/**
 * The one way tests, benchmarks and checks get past the sandbox's login page in a browser
 * (Playwright's `Page` fits `LoginPage`; the sandbox itself does not depend on Playwright).
 */
export const SANDBOX_LOGIN_TEST_IDS = {
  emailInput: "sandbox-email-input",
  submit: "sandbox-email-submit",
  /** The checkbox of a scope on Google's consent screen (granular consent). */
  scope: (scope: string) => `sandbox-scope-${scope}`,
} as const;

type LoginPage = {
  getByTestId(testId: string): {
    fill(value: string): Promise<void>;
    click(): Promise<void>;
    uncheck(): Promise<void>;
  };
};

/**
 * On a sandbox login page (either provider): continues as `email`, typed into the form as a user
 * would. `deny` unticks those scopes first (Google's granular consent): the grant leaves them out.
 */
export async function chooseSandboxAccount(
  page: LoginPage,
  email: string,
  options: { deny?: readonly string[] } = {},
): Promise<void> {
  for (const scope of options.deny ?? []) await page.getByTestId(SANDBOX_LOGIN_TEST_IDS.scope(scope)).uncheck();
  await page.getByTestId(SANDBOX_LOGIN_TEST_IDS.emailInput).fill(email);
  await page.getByTestId(SANDBOX_LOGIN_TEST_IDS.submit).click();
}
