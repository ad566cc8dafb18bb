import type { NextConfig } from "next";

// Next.js telemetry is off for this project's build, dev server and tests, so none of them prints
// the telemetry notice; NEXT_TELEMETRY_DISABLED=0 turns it on (Next reads any other value as off).
// The config is loaded before Next decides, in `next build`, `next dev` and `next start` alike.
if (process.env.NEXT_TELEMETRY_DISABLED === "0") delete process.env.NEXT_TELEMETRY_DISABLED;
else process.env.NEXT_TELEMETRY_DISABLED ||= "1";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Prisma's generated client and the pg driver must stay real Node modules.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg"],
  // `NEXT_OUTPUT=standalone npm run build` (the Dockerfile) writes a self-contained server to
  // .next/standalone; a plain build stays as `next start` expects it.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Files the tracer copies into .next/standalone although the server never loads them (~70 MB).
  outputFileTracingExcludes: {
    "*": [
      // Engines for every database and for edge bundles: the Node client with engineType "client"
      // loads the query compiler that `prisma generate` puts in node_modules/.prisma/client.
      "node_modules/@prisma/client/runtime/*.wasm-base64.*",
      "node_modules/@prisma/client/runtime/query_engine_bg.*",
      // sharp optimises next/image, which this app does not use; drop these two if you add it.
      "node_modules/sharp/**",
      "node_modules/@img/**",
    ],
  },
};

export default nextConfig;
