import { AdapterError, SessionTokenError } from "@auth/core/errors";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { loggedRecords } from "@/test/vitest/capture-logs";
import { DatabaseUnavailableError } from "./database-fault";
import { logDatabaseFault } from "./db";

describe("logDatabaseFault", () => {
  it("logs a failed query once, however many catchers it reaches and however Auth.js wraps it", () => {
    // What lib/database-adapter.ts throws for a connection refused.
    const failure = refused();
    // What one failed session read reaches: Auth.js's adapter wrapper and its session action (each
    // log a new wrapper), then the page that reads the session.
    // Auth.js's types say string; it takes the error it wraps.
    const adapterError = new AdapterError(failure as never);
    logDatabaseFault(adapterError);
    logDatabaseFault(new SessionTokenError(adapterError as never));
    logDatabaseFault(new DatabaseUnavailableError({ reason: "refused" }, { cause: failure }));
    expect(faultLines()).toHaveLength(1);

    // Another request's failure is its own line.
    logDatabaseFault(refused());
    expect(faultLines()).toHaveLength(2);
  });
});

function faultLines() {
  return loggedRecords().filter((record) => record.level === "error");
}

function refused(): Error {
  const message = "PostgreSQL at 127.0.0.1:5432 unavailable: connection refused";
  return new DriverAdapterError({
    kind: "postgres",
    code: "ECONNREFUSED",
    severity: "FATAL",
    message,
    originalCode: "ECONNREFUSED",
    originalMessage: message,
    databaseFault: { reason: "refused", code: "ECONNREFUSED" },
  } as never);
}
