import { expect, it } from "vitest";
import { isWorthShowing } from "./dev-database";

it("shows PostgreSQL's problems and readiness, not a normal stop closing the app's connections", () => {
  const at = "2026-12-06 07:09:44.955 UTC [16232]";
  expect(isWorthShowing(`${at} LOG:  database system is ready to accept connections`)).toBe(true);
  expect(isWorthShowing(`${at} FATAL:  password authentication failed for user "app"`)).toBe(true);
  expect(isWorthShowing(`${at} ERROR:  relation "Account" does not exist`)).toBe(true);
  expect(isWorthShowing(`${at} FATAL:  terminating connection due to administrator command`)).toBe(false);
  expect(isWorthShowing(`${at} FATAL:  the database system is shutting down`)).toBe(false);
  expect(isWorthShowing(`${at} LOG:  checkpoint starting: time`)).toBe(false);
});
