import { createHash } from "node:crypto";

export type SandboxUser = {
  email: string;
  name: string;
  /** On sandbox GitHub: hide the email from /user, so the app must read /user/emails. */
  privateEmail?: boolean;
  /** On sandbox GitHub: the primary email is not verified. */
  unverifiedEmail?: boolean;
  /** What this user is for, in the `[sandbox]` line of `npm run dev` and the README. */
  role: string;
};

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { email: "alice@example.com", name: "Alice Example", role: "an ordinary user" },
  { email: "bob@example.com", name: "Bob Example", privateEmail: true, role: "keeps his GitHub email private" },
  {
    email: "unverified@example.com",
    name: "Una Verified",
    unverifiedEmail: true,
    role: "her GitHub email is unverified, so it links to no one",
  },
];

/** A known test user, or one made up on the spot from a typed email. */
export function sandboxUser(email: string): SandboxUser {
  const normalized = email.trim().toLowerCase();
  return (
    SANDBOX_USERS.find((user) => user.email === normalized) ?? {
      email: normalized,
      role: "typed on the login page",
      // Typed addresses starting with "unverified" get an unverified primary email on GitHub.
      unverifiedEmail: normalized.startsWith("unverified"),
      name: normalized
        .split("@")[0]!
        .replace(/[._-]+/g, " ")
        .replace(/\b\w/g, (c) => c.toUpperCase()),
    }
  );
}

/** Stable per-email identifiers: Google's `sub` is a numeric string, GitHub's `id` a number. */
export function googleSubject(email: string): string {
  return BigInt(`0x${createHash("sha256").update(`google:${email}`).digest("hex").slice(0, 15)}`).toString();
}

export function githubId(email: string): number {
  return Number.parseInt(createHash("sha256").update(`github:${email}`).digest("hex").slice(0, 8), 16);
}

export function avatarDataUrl(user: SandboxUser): string {
  const initial = user.name.slice(0, 1).toUpperCase();
  const hue = Number.parseInt(createHash("sha256").update(user.email).digest("hex").slice(0, 2), 16) * 1.4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue.toFixed(0)} 55% 45%)"/><text x="32" y="42" font-family="sans-serif" font-size="30" fill="#fff" text-anchor="middle">${initial}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
