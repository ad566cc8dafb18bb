import { SANDBOX_USERS } from "./users";

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The sandbox's account chooser: one button per test user and a field for any email.
 * `hidden` fields are posted back unchanged (the GitHub flow carries its request in them).
 */
export function loginPage(options: {
  providerName: string;
  action: string;
  scopes: readonly string[];
  clientId: string;
  hidden?: Record<string, string>;
}): string {
  const hidden = Object.entries(options.hidden ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join("");
  const users = SANDBOX_USERS.map(
    (user) =>
      `<button type="submit" name="email" value="${escape(user.email)}" data-testid="sandbox-user-${escape(user.email)}">
        <strong>${escape(user.name)}</strong><span>${escape(user.email)}</span></button>`,
  ).join("");
  const scopes = options.scopes.map((scope) => `<li><code>${escape(scope)}</code></li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox ${escape(options.providerName)} — choose a test account</title>
<style>
:root{color-scheme:light dark;font-family:ui-sans-serif,system-ui,sans-serif}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f4f5;color:#18181b}
main{width:min(26rem,calc(100% - 2rem));background:#fff;border:1px solid #e4e4e7;border-radius:16px;padding:1.5rem;box-shadow:0 1px 2px #0001}
h1{font-size:1.25rem;margin:0 0 .25rem}p{margin:.25rem 0 1rem;color:#52525b;font-size:.9rem}
.badge{display:inline-block;background:#fef3c7;color:#92400e;border-radius:999px;padding:.1rem .6rem;font-size:.75rem;font-weight:600}
button{display:flex;flex-direction:column;align-items:flex-start;width:100%;margin:.4rem 0;padding:.7rem .9rem;border:1px solid #d4d4d8;border-radius:10px;background:#fff;color:inherit;font:inherit;cursor:pointer;text-align:left}
button:hover,button:focus-visible{border-color:#2563eb;outline:none;background:#eff6ff}
button span{font-size:.85rem;color:#52525b}
label{display:block;font-size:.85rem;margin-top:1rem}
input[type=email]{width:100%;box-sizing:border-box;margin-top:.3rem;padding:.6rem;border:1px solid #d4d4d8;border-radius:8px;font:inherit}
.submit{align-items:center;background:#18181b;color:#fff;border-color:#18181b}
ul{font-size:.8rem;color:#52525b;padding-left:1.2rem}
@media (prefers-color-scheme:dark){body{background:#09090b;color:#f4f4f5}main{background:#18181b;border-color:#27272a}p,button span,ul{color:#a1a1aa}button{background:#18181b;border-color:#3f3f46}button:hover{background:#1e293b}.submit{background:#f4f4f5;color:#18181b}input[type=email]{background:#09090b;color:inherit;border-color:#3f3f46}}
</style></head><body><main>
<span class="badge">Local sandbox — not the real ${escape(options.providerName)}</span>
<h1>Sandbox ${escape(options.providerName)} — choose a test account</h1>
<p><code>${escape(options.clientId)}</code> asks for:</p><ul>${scopes}</ul>
<form method="post" action="${escape(options.action)}">${hidden}${users}</form>
<form method="post" action="${escape(options.action)}">${hidden}
<label>Or any email (creates a test user)<input type="email" name="email" required data-testid="sandbox-email-input" placeholder="someone@example.com"></label>
<button type="submit" class="submit" data-testid="sandbox-email-submit">Continue</button>
</form></main></body></html>`;
}

/** The email a login form post chose: a user button, or the typed field. */
export function chosenEmail(params: Record<string, string>): string | undefined {
  const email = (params.email ?? "").trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}
