/**
 * The one way tests, benchmarks and checks get past the sandbox's login page in a browser
 * (Playwright's `Page` fits `LoginPage`; the sandbox itself does not depend on Playwright).
 */
export const SANDBOX_LOGIN_TEST_IDS = { emailInput: "sandbox-email-input", submit: "sandbox-email-submit" } as const;

type LoginPage = { getByTestId(testId: string): { fill(value: string): Promise<void>; click(): Promise<void> } };

/** On a sandbox login page (either provider): continues as `email`, typed into the form as a user would. */
export async function chooseSandboxAccount(page: LoginPage, email: string): Promise<void> {
  await page.getByTestId(SANDBOX_LOGIN_TEST_IDS.emailInput).fill(email);
  await page.getByTestId(SANDBOX_LOGIN_TEST_IDS.submit).click();
}
