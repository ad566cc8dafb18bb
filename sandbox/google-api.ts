import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, sendJson } from "./http";
import { sandboxUser, avatarDataUrl, googleSubject } from "./users";

const G = "https://www.googleapis.com/auth/";

/** Each endpoint and the scopes that open it (any one suffices), as at Google. */
const ENDPOINTS: Record<string, readonly string[]> = {
  "/oauth2/v3/userinfo": ["openid", "email", "profile", `${G}userinfo.email`, `${G}userinfo.profile`],
  "/drive/v3/files": [`${G}drive.readonly`, `${G}drive.metadata.readonly`],
  "/calendar/v3/calendars/primary/events": [`${G}calendar.readonly`],
  "/gmail/v1/users/me/labels": [`${G}gmail.labels`],
};

type TokenInfo = { email: string; scopes: string[] };

/** Fake Google REST APIs at `${base}/google-api`, checking bearer tokens issued by the sandbox issuer. */
export function createGoogleApi(findAccessToken: (token: string) => Promise<TokenInfo | undefined>) {
  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, "http://sandbox");
    const needed = ENDPOINTS[url.pathname];
    if (!needed || req.method !== "GET") {
      return sendJson(res, 404, { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } });
    }
    const token = bearerToken(req);
    const info = token ? await findAccessToken(token) : undefined;
    if (!info) {
      return sendJson(
        res,
        401,
        { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } },
        { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      );
    }
    if (!needed.some((scope) => info.scopes.includes(scope))) {
      return sendJson(
        res,
        403,
        {
          error: {
            code: 403,
            message: "Request had insufficient authentication scopes.",
            status: "PERMISSION_DENIED",
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                domain: "googleapis.com",
              },
            ],
          },
        },
        {
          "www-authenticate": `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${needed.join(" ")}"`,
        },
      );
    }
    sendJson(res, 200, body(url, info));
  }

  return { mount: "/google-api", handle };
}

function body(url: URL, info: TokenInfo): unknown {
  const user = sandboxUser(info.email);
  const limit = (name: string, fallback: number) =>
    Math.max(1, Math.min(100, Number(url.searchParams.get(name)) || fallback));
  const day = 24 * 3600 * 1000;
  switch (url.pathname) {
    case "/oauth2/v3/userinfo":
      return {
        sub: googleSubject(user.email),
        email: user.email,
        email_verified: true,
        name: user.name,
        picture: avatarDataUrl(user),
      };
    case "/drive/v3/files": {
      const names = [
        "Quarterly plan",
        "Team offsite notes",
        "Budget 2027",
        "Design review",
        "Launch checklist",
        "Reading list",
      ];
      const types = [
        "application/vnd.google-apps.document",
        "application/vnd.google-apps.spreadsheet",
        "application/pdf",
      ];
      const files = names.map((name, index) => ({
        id: `file-${index + 1}`,
        name: `${name} (${user.name.split(" ")[0]})`,
        mimeType: types[index % types.length],
        modifiedTime: new Date(Date.UTC(2026, 10, 20 - index, 9, 30)).toISOString(),
      }));
      return { kind: "drive#fileList", incompleteSearch: false, files: files.slice(0, limit("pageSize", 10)) };
    }
    case "/calendar/v3/calendars/primary/events": {
      const start = Math.ceil(Date.now() / day) * day;
      const summaries = ["Standup", "1:1 with manager", "Customer call", "Planning", "Lunch & learn"];
      const items = summaries.map((summary, index) => ({
        id: `event-${index + 1}`,
        summary,
        start: { dateTime: new Date(start + index * day + 9 * 3600 * 1000).toISOString() },
        end: { dateTime: new Date(start + index * day + 10 * 3600 * 1000).toISOString() },
        htmlLink: `https://calendar.google.com/calendar/event?eid=event-${index + 1}`,
      }));
      return { kind: "calendar#events", summary: user.email, items: items.slice(0, limit("maxResults", 10)) };
    }
    default:
      return {
        labels: [
          { id: "INBOX", name: "INBOX", type: "system" },
          { id: "SENT", name: "SENT", type: "system" },
          { id: "IMPORTANT", name: "IMPORTANT", type: "system" },
          { id: "Label_1", name: "Receipts", type: "user" },
          { id: "Label_2", name: "Travel", type: "user" },
        ],
      };
  }
}
