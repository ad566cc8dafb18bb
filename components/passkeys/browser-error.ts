/** Which of the words a browser's WebAuthn failure (a DOMException, by its name) calls for. */
export function browserErrorCode(error: unknown): "cancelled" | "already_added" | "browser_unsupported" {
  const names = [error, error instanceof Error ? error.cause : undefined].map((value) =>
    value instanceof Error ? value.name : "",
  );
  if (names.includes("InvalidStateError")) return "already_added";
  if (names.includes("NotAllowedError") || names.includes("AbortError")) return "cancelled";
  return "browser_unsupported";
}
