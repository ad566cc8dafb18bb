import { expect, it } from "vitest";
import { securityHeaders } from "./security-headers";

it("lists each form-action origin once, though several providers share it", () => {
  const headers = securityHeaders({
    nonce: "abc",
    development: false,
    https: false,
    formActionOrigins: ["http://127.0.0.1:4000", "https://github.com", "http://127.0.0.1:4000"],
  });
  const formAction = headers["Content-Security-Policy"]!.split("; ").find((directive) =>
    directive.startsWith("form-action"),
  );
  expect(formAction).toBe("form-action 'self' http://127.0.0.1:4000 https://github.com");
});
