/**
 * Where a server action or route handler sent the browser with Next.js's `redirect()`, which
 * throws; or the Response it answered with instead.
 */
export async function redirectedTo(outcome: Promise<unknown>): Promise<string | Response> {
  try {
    const answer = await outcome;
    if (answer instanceof Response) return answer;
    throw new Error(`neither a redirect nor a Response: ${String(answer)}`);
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT;")) throw error;
    return digest.split(";")[2]!;
  }
}
