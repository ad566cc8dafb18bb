import type { NextConfig } from "next";

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
