/**
 * A fault we anticipated at start-up (a data directory another process holds, a directory the
 * postgres user cannot enter, a database that refuses us): its message is the whole story, and
 * the command ends with that one line rather than a code frame and a stack.
 */
export class AnticipatedFault extends Error {
  override name = "AnticipatedFault";
}

/**
 * For a script's entry point: an AnticipatedFault that nobody caught is printed with `print`, alone,
 * and the process exits 1. Any other error is printed whole, as Node.js would.
 */
export function endingOnAnticipatedFaults(print: (line: string) => void): void {
  process.on("uncaughtException", (error) => {
    if (error instanceof AnticipatedFault) print(error.message);
    else console.error(error);
    process.exit(1);
  });
}
