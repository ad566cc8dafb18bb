// Runs once when the server starts. The check lives in a Node-only module so that the Edge
// bundle of this file never sees process.exit.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).ready();
}
