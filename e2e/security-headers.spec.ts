import type { APIResponse } from "@playwright/test";
import { expect, signInOverHttp, test, uniqueEmail, type SandboxControl } from "../test/playwright/fixtures";
import { GOOGLE_LOADED_TEST_ID } from "../test/playwright/google-demo";

function directives(response: APIResponse): Map<string, string> {
  const policy = response.headers()["content-security-policy"] ?? "";
  return new Map(
    policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values.join(" ")]),
  );
}

function expectSecurityHeaders(response: APIResponse, sandbox: SandboxControl) {
  const headers = response.headers();
  const csp = directives(response);
  expect(csp.get("script-src")).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'$/);
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'self'");
  // Both sandbox providers share one origin, listed once.
  expect(csp.get("form-action")).toBe(`'self' ${new URL(sandbox.url).origin}`);
  expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
}

test("every page and API answer carries the security headers; each page's scripts carry that request's nonce", async ({
  page,
  sandbox,
}) => {
  await signInOverHttp(page, "Google", uniqueEmail("headers"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();

  const paths = [
    "/",
    "/sign-in",
    "/auth-error?error=AccessDenied",
    "/settings",
    "/settings/profile",
    "/settings/connected-accounts",
    "/settings/security",
    "/no-such-page",
  ];
  for (const path of paths) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(path === "/no-such-page" ? 404 : 200);
    expectSecurityHeaders(response, sandbox);
    const nonce = /'nonce-([^']+)'/.exec(directives(response).get("script-src")!)![1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const script of scripts) expect(script, `${path}: ${script}`).toContain(`nonce="${nonce}"`);
  }
  for (const path of ["/api/connected-accounts", "/api/connected-accounts/google/token", "/api/auth/session"]) {
    expectSecurityHeaders(await page.request.get(path), sandbox);
  }

  const [first, second] = [await page.request.get("/sign-in"), await page.request.get("/sign-in")];
  expect(directives(first).get("script-src")).not.toBe(directives(second).get("script-src"));
});

test("the browser enforces the policy: the app works with no violation, injected scripts do not run", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signInOverHttp(page, "Google", uniqueEmail("csp"));
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  await page.goto("/settings/connected-accounts");
  await expect(page.getByTestId(GOOGLE_LOADED_TEST_ID)).toContainText("@example.com");
  // Next's client runtime started, so its scripts ran under the policy.
  await expect
    .poll(() => page.evaluate(() => typeof (window as { next?: { version?: string } }).next?.version))
    .toBe("string");
  await page.getByRole("button", { name: "Connect GitHub", exact: true }).click();
  await expect(page.getByTestId("sandbox-email-input")).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Connected accounts" })).toBeVisible();
  expect(violations).toEqual([]);

  // What a stored XSS would be: markup in the served page with an inline script and no nonce.
  await page.route("**/settings/profile", async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
    await route.fulfill({ response, body });
  });
  await page.goto("/settings/profile");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await expect.poll(() => violations.some((text) => /inline script violates/.test(text))).toBe(true);
  expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
});

test("the app cannot be framed by another site", async ({ page, baseURL, sandbox }) => {
  const violations: string[] = [];
  page.on("console", (message) => violations.push(message.text()));
  // A page from another origin (the sandbox) that tries to frame the sign-in page.
  await page.goto(`${sandbox.url}/google-api/`);
  await page.setContent(`<iframe id="victim" src="${baseURL}/sign-in"></iframe>`);
  await expect.poll(() => violations.some((text) => text.includes("frame-ancestors 'none'"))).toBe(true);
});
