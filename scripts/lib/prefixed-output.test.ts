import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { pipePrefixed } from "./prefixed-output";

it("labels each line, and leaves out lines that only move the cursor or are blank", async () => {
  const stream = new PassThrough();
  const written: string[] = [];
  pipePrefixed(stream, "next", (text) => written.push(text));
  // What next dev writes as it stops: "show the cursor", then a newline.
  stream.end("\x1b[32m✓\x1b[39m Ready in 2.0s\n\n   \n\x1b[?25h\n\x1b[?25l○ Compiling /\r\n");
  await new Promise((resolve) => stream.on("close", resolve).resume());
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.map((line) => line.replace(/^\S+\s+/, ""))).toEqual([
    "\x1b[32m✓\x1b[39m Ready in 2.0s\n",
    "○ Compiling /\n",
  ]);
});
