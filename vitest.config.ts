import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests run modules directly.
      "server-only": path.resolve(import.meta.dirname, "test/vitest/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".data/**"],
    globalSetup: ["test/vitest/global-setup.ts"],
    setupFiles: ["test/vitest/setup-env.ts", "test/vitest/capture-logs.ts"],
    // The slow files mostly wait (leases expiring, servers starting and stopping): two at a time even
    // on two cores, where vitest's default (cores - 1) runs them one by one. Not more: some tests
    // assert how fast something happens, and a machine short of CPU fails them.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
