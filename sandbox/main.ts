// `npm run sandbox`: the sandbox on its own, on SANDBOX_PORT (default: a free port).
import { startSandbox } from ".";

const sandbox = await startSandbox({
  port: Number(process.env.SANDBOX_PORT ?? 0),
  log: (line) => console.error(line),
});
console.log(`sandbox ready at ${sandbox.url}`);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
