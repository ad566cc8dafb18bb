// `npm start` runs this, then `exec next start`. Next.js says "Ready" before it loads the app, and
// so before instrumentation.ts checks the environment: a broken one is refused here instead, in
// one sentence, and the server never starts.
import nextEnv from "@next/env";
import { parseEnv } from "../lib/env";
import { describeError } from "../lib/result";

// What `next start` will see: the same env files, and production unless NODE_ENV says otherwise.
nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
try {
  parseEnv({ ...process.env, NODE_ENV: process.env.NODE_ENV || "production" });
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
