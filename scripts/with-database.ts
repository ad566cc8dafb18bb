// Runs a command with DATABASE_URL set: the one from the environment, or embedded PostgreSQL
// (.data/postgres) started for the duration of the command. Used by the db:* scripts.
import { spawn } from "node:child_process";
import nextEnv from "@next/env";
import { endingOnAnticipatedFaults } from "./lib/anticipated-fault";
import { openDevDatabase } from "./lib/dev-database";
import { logLine } from "./lib/prefixed-output";

// A database that refuses us, a clone root cannot share with the postgres user: one line each.
endingOnAnticipatedFaults((line) => console.error(line));
nextEnv.loadEnvConfig(process.cwd(), true, { info: () => {}, error: console.error });

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-database.ts <command> [args...]");
  process.exit(2);
}

// A CI/CD step or production host that forgot DATABASE_URL must not "succeed" on a throwaway database.
if (!process.env.DATABASE_URL && (process.env.CI || process.env.NODE_ENV === "production")) {
  const reason = process.env.CI ? "CI is set" : "NODE_ENV=production";
  console.error(
    `DATABASE_URL is not set (${reason}): refusing to run \`${[command, ...args].join(" ")}\` on a throwaway embedded database; set DATABASE_URL to the database to use`,
  );
  process.exit(1);
}

const database = await openDevDatabase((line) => logLine("db", line));
logLine("db", `running \`${[command, ...args].join(" ")}\` on ${database.description}`);
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: database.url },
  shell: false,
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", async (code, signal) => {
  await database.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
