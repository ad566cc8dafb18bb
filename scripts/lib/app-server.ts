import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { freePort } from "./free-port";
import { startHttpsFront } from "./https-front";

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

export type AppServer = {
  url: string;
  /** The server itself, `http://localhost:<port>`: behind the TLS front when `https` is set, else `url`. */
  directUrl: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
};

type AppServerOptions = {
  waitUntilReady?: boolean;
  logFile?: string;
  /** Serve it as https://localhost:<port> through a TLS front, as behind a load balancer. */
  https?: boolean;
  /** `start` serves the existing production build; `dev` runs `next dev`, as `npm run dev` does. */
  mode?: "start" | "dev";
};

/** The app on 127.0.0.1 and a free port. */
export async function startAppServer(
  env: Record<string, string>,
  { waitUntilReady = true, logFile, https = false, mode = "start" }: AppServerOptions = {},
): Promise<AppServer> {
  const port = await freePort();
  // Bound to 127.0.0.1, addressed as localhost: Next's URL normalisation turns 127.0.0.1 into
  // localhost in route handlers, and OAuth redirect URIs must match exactly.
  const directUrl = `http://localhost:${port}`;
  const front = https ? await startHttpsFront(port) : undefined;
  const url = front?.url ?? directUrl;
  const child = spawn(process.execPath, [nextBin, mode, "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...process.env,
      NODE_ENV: mode === "dev" ? "development" : "production",
      AUTH_URL: url,
      // `next dev`'s outer process prints the telemetry notice as it stops; next.config.ts is not loaded there.
      NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const log = logFile ? createWriteStream(logFile) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk) => {
      output += chunk;
      log?.write(chunk);
    });
  }

  const server: AppServer = {
    url,
    directUrl,
    process: child,
    output: () => output,
    stop: async () => {
      await front?.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
  if (waitUntilReady) await waitForHttp(`${directUrl}/sign-in`, child, () => output);
  return server;
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next exited early:\n${output()}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next did not answer ${url} within 60 s:\n${output()}`);
}
