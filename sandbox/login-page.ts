import { SANDBOX_USERS } from "./users";

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** One line of "… asks for": the scope in words when known, its raw name beside, and whether the user may untick it. */
export type ScopeLine = { name: string; words?: string; choosable?: boolean };

/** Form field of a ticked scope on the consent page; `GRANULAR_FIELD` says the page offered the choice. */
export const GRANT_FIELD = "grant";
export const GRANULAR_FIELD = "granular";

/** A raw scope name that wraps after its slashes and dots on a narrow screen, not mid-word. */
const breakable = (name: string) => escape(name).replace(/([/.])/g, "$1<wbr>");

function scopeItem(line: ScopeLine): string {
  const text = line.words
    ? `<span class="words">${escape(line.words)}</span><code class="raw">${breakable(line.name)}</code>`
    : `<code class="words">${escape(line.name)}</code>`;
  if (!line.choosable) return `<li><span class="scope"><span>${text}</span></span></li>`;
  return `<li><label class="scope choice"><input type="checkbox" name="${GRANT_FIELD}" value="${escape(line.name)}" checked data-testid="sandbox-scope-${escape(line.name)}"><span>${text}</span></label></li>`;
}

/**
 * The sandbox's account chooser and consent screen: one button per test user and a field for any
 * email; scopes marked `choosable` get a checkbox, ticked by default, as on Google's granular
 * consent screen. `hidden` fields are posted back unchanged (the GitHub flow carries its request in them).
 */
export function loginPage(options: {
  providerName: string;
  action: string;
  scopes: readonly ScopeLine[];
  clientId: string;
  hidden?: Record<string, string>;
  /** The test accounts offered as buttons; default: the Google and GitHub users (SANDBOX_USERS). */
  users?: readonly { email: string; name: string }[];
  /** A refusal shown above the form (Entra's answer to an account its tenant setting does not admit). */
  error?: string;
}): string {
  const granular = options.scopes.some((line) => line.choosable);
  const hidden = Object.entries({ ...options.hidden, ...(granular ? { [GRANULAR_FIELD]: "1" } : {}) })
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join("");
  // One form, so the scope checkboxes go with whichever way the account is chosen; the user
  // buttons skip the typed field's validation.
  const users = (options.users ?? SANDBOX_USERS)
    .map(
      (user) =>
        `<button type="submit" name="email" value="${escape(user.email)}" formnovalidate data-testid="sandbox-user-${escape(user.email)}">
        <strong>${escape(user.name)}</strong><span>${escape(user.email)}</span></button>`,
    )
    .join("");
  const scopes = options.scopes.map(scopeItem).join("");
  const name = escape(options.providerName);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox ${name} — choose a test account</title>
<style>
:root{color-scheme:light dark;font-family:ui-sans-serif,system-ui,sans-serif}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f4f5;color:#18181b;padding:1rem 0}
main{width:min(28rem,calc(100% - 1.5rem));min-width:0;background:#fff;border:1px solid #e4e4e7;border-radius:16px;padding:1.25rem;box-shadow:0 1px 2px #0001}
h1{font-size:1.2rem;margin:.5rem 0 .25rem;overflow-wrap:anywhere}p{margin:.25rem 0 .75rem;color:#52525b;font-size:.9rem;overflow-wrap:anywhere}
h2{font-size:.9rem;margin:1rem 0 .25rem}
.badge{display:inline-block;background:#fef3c7;color:#92400e;border-radius:999px;padding:.1rem .6rem;font-size:.75rem;font-weight:600}
button{display:flex;flex-direction:column;align-items:flex-start;width:100%;margin:.4rem 0;padding:.7rem .9rem;border:1px solid #d4d4d8;border-radius:10px;background:#fff;color:inherit;font:inherit;cursor:pointer;text-align:left;overflow-wrap:anywhere}
button:hover,button:focus-visible{border-color:#2563eb;outline:none;background:#eff6ff}
button span{font-size:.85rem;color:#52525b}
label{display:block;font-size:.85rem;margin-top:1rem}
input[type=email]{width:100%;margin-top:.3rem;padding:.6rem;border:1px solid #d4d4d8;border-radius:8px;font:inherit}
.submit{align-items:center;background:#18181b;color:#fff;border-color:#18181b}
ul.scopes{list-style:none;margin:0 0 .5rem;padding:0;font-size:.9rem}
ul.scopes li{padding:.4rem 0;border-top:1px solid #e4e4e7}
.scope{display:flex;gap:.6rem;align-items:flex-start;margin:0;font-size:.9rem;min-width:0}
.scope>span{display:flex;flex-direction:column;min-width:0}
.scope input{margin:.2rem 0 0;flex:none;width:1rem;height:1rem}
.words{color:inherit}
.error{color:#b91c1c;font-weight:600}
.raw{font-size:.72rem;color:#71717a;overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){body{background:#09090b;color:#f4f4f5}main{background:#18181b;border-color:#27272a}p,button span{color:#a1a1aa}.raw{color:#a1a1aa}ul.scopes li{border-color:#27272a}button{background:#18181b;border-color:#3f3f46}button:hover{background:#1e293b}.submit{background:#f4f4f5;color:#18181b}input[type=email]{background:#09090b;color:inherit;border-color:#3f3f46}}
</style></head><body><main>
<span class="badge">Local sandbox — not the real ${name}</span>
<h1>Sandbox ${name} — choose a test account</h1>
${options.error ? `<p role="alert" class="error">${escape(options.error)}</p>` : ""}
<form method="post" action="${escape(options.action)}">${hidden}
<p><code>${escape(options.clientId)}</code> asks to:</p><ul class="scopes">${scopes}</ul>
${granular ? "<p>Untick what you do not want to share: the app gets only what stays ticked.</p>" : ""}
<h2>Continue as</h2>
${users}
<label>Or any email (creates a test user)<input type="email" name="typed_email" required data-testid="sandbox-email-input" placeholder="someone@example.com"></label>
<button type="submit" class="submit" data-testid="sandbox-email-submit">Continue</button>
</form></main></body></html>`;
}

/** The email a login form post chose: a user button, or the typed field. */
export function chosenEmail(params: Record<string, string>): string | undefined {
  // A user button posts `email`; the Continue button posts the typed field.
  const email = (params.email || params.typed_email || "").trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}
