import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";

// Only GitHub, with real-looking credentials and no webhook secret: no Google, no sandbox.
delete process.env.SANDBOX_URL;
delete process.env.GITHUB_WEBHOOK_SECRET;
process.env.AUTH_GITHUB_ID = "Iv1.0123456789abcdef";
process.env.AUTH_GITHUB_SECRET = "github-secret-for-this-test";

describe("receivers that are not configured", () => {
  it("POST /api/risc answers 404 when Google is not configured", async () => {
    const { receiveSecurityEvent } = await import("./receiver");
    const response = await receiveSecurityEvent(
      new Request("http://127.0.0.1/api/risc", { method: "POST", body: "a.b.c" }),
    );
    expect(response.status).toBe(404);
  });

  it("POST /api/github/webhook answers 404 without GITHUB_WEBHOOK_SECRET, whatever it is signed with", async () => {
    const { receiveGithubWebhook } = await import("../../github/receiver/receiver");
    const body = JSON.stringify({ action: "revoked", sender: { id: 1 } });
    const response = await receiveGithubWebhook(
      new Request("http://127.0.0.1/api/github/webhook", {
        method: "POST",
        headers: {
          "x-github-event": "github_app_authorization",
          "x-github-delivery": "d1",
          "x-hub-signature-256": `sha256=${createHmac("sha256", "").update(body).digest("hex")}`,
        },
        body,
      }),
    );
    expect(response.status).toBe(404);
  });
});
