import { describe, expect, it } from "vitest";
import { providerRegistry } from "./registry";

describe("the provider registry", () => {
  it("ids name a folder and a callback URL: lowercase, distinct", () => {
    const ids = providerRegistry.map((provider) => provider.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  it("each provider has its own pair of credential variables, AUTH_<NAME>_ID and AUTH_<NAME>_SECRET", () => {
    const names = providerRegistry.flatMap(({ credentialsEnv }) => [credentialsEnv.id, credentialsEnv.secret]);
    expect(new Set(names).size).toBe(names.length);
    for (const { credentialsEnv } of providerRegistry) {
      expect(credentialsEnv.secret).toBe(credentialsEnv.id.replace(/_ID$/, "_SECRET"));
    }
  });
});
