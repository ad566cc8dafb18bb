import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, sendJson } from "./http";
import { MICROSOFT_TENANTS, microsoftObjectId, type MicrosoftTokenInfo } from "./microsoft";
import { sandboxNow, type SandboxState } from "./state";

/** Each endpoint, the scopes that open it (any one suffices), and Graph's refusal when none is there. */
const ENDPOINTS: Record<string, { scopes: readonly string[]; code: string; message: string }> = {
  "/me": {
    scopes: ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"],
    code: "Authorization_RequestDenied",
    message: "Insufficient privileges to complete the operation.",
  },
  "/me/drive/recent": {
    scopes: ["Files.Read", "Files.ReadWrite", "Files.Read.All", "Files.ReadWrite.All"],
    code: "accessDenied",
    message: "Access denied",
  },
  "/me/events": {
    scopes: ["Calendars.Read", "Calendars.ReadWrite", "Calendars.ReadBasic"],
    code: "ErrorAccessDenied",
    message: "Access is denied. Check credentials and try again.",
  },
};

const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata";

/**
 * A Microsoft Graph stand-in at `${base}/microsoft-graph/v1.0`: /me, /me/drive/recent and /me/events,
 * checking the bearer tokens the Entra stand-in issued, and challenging `cp1` clients with
 * `insufficient_claims` while the control endpoint's CAE switch is on for the user.
 */
export function createMicrosoftGraph(
  base: string,
  state: SandboxState,
  findAccessToken: (token: string) => MicrosoftTokenInfo | undefined,
) {
  /** Graph's error body. */
  function graphError(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
    const innerError = {
      date: new Date().toISOString().replace(/\.\d+Z$/, ""),
      "request-id": randomUUID(),
      "client-request-id": randomUUID(),
    };
    sendJson(res, status, { error: { code, message, innerError } }, headers);
  }

  const authorizationUri = `${base}/microsoft/common/oauth2/v2.0/authorize`;
  const unauthorized = (res: ServerResponse, message: string) =>
    graphError(res, 401, "InvalidAuthenticationToken", message, {
      "www-authenticate": `Bearer realm="", authorization_uri="${authorizationUri}", client_id="00000003-0000-0000-c000-000000000000"`,
    });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, "http://sandbox");
    const route = url.pathname.startsWith("/v1.0/") ? url.pathname.slice("/v1.0".length) : undefined;
    const endpoint = route === undefined ? undefined : ENDPOINTS[route];
    if (!endpoint || req.method !== "GET")
      return graphError(
        res,
        400,
        "BadRequest",
        `Resource not found for the segment '${url.pathname.split("/").pop()}'.`,
      );
    const token = bearerToken(req);
    if (!token) return unauthorized(res, "Access token is empty.");
    const info = findAccessToken(token);
    if (!info) return unauthorized(res, "Access token validation failure. Invalid audience.");
    if (info.expired) return unauthorized(res, "Lifetime validation failed, the token is expired.");
    if (info.cp1 && state.caeChallenged.has(info.user.email)) {
      // Continuous Access Evaluation: the client must sign the user in again with these claims.
      const claims = {
        access_token: { nbf: { essential: true, value: String(Math.floor(sandboxNow(state) / 1000)) } },
      };
      return graphError(
        res,
        401,
        "InvalidAuthenticationToken",
        "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
        {
          "www-authenticate": `Bearer realm="", authorization_uri="${authorizationUri}", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${Buffer.from(JSON.stringify(claims)).toString("base64")}"`,
        },
      );
    }
    if (!endpoint.scopes.some((scope) => info.scopes.includes(scope)))
      return graphError(res, 403, endpoint.code, endpoint.message);
    sendJson(res, 200, body(route!, url, info));
  }

  return { mount: "/microsoft-graph", handle };
}

function body(route: string, url: URL, info: MicrosoftTokenInfo): unknown {
  const { user } = info;
  const top = Math.max(1, Math.min(100, Number(url.searchParams.get("$top")) || 10));
  const firstName = user.name.split(" ")[0]!;
  const personal = user.tid === MICROSOFT_TENANTS.personal;
  const day = 24 * 3600 * 1000;
  switch (route) {
    case "/me":
      return {
        "@odata.context": `${CONTEXT}#users/$entity`,
        businessPhones: [],
        displayName: user.name,
        givenName: firstName,
        jobTitle: null,
        mail: personal ? null : user.email,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
        surname: user.name.split(" ").slice(1).join(" ") || null,
        userPrincipalName: user.email,
        id: microsoftObjectId(user.email),
      };
    case "/me/drive/recent": {
      const files = [
        ["Roadmap.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
        ["Budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        ["Board deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"],
        ["Contract.pdf", "application/pdf"],
        ["Meeting notes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      ] as const;
      const driveId = microsoftObjectId(`drive:${user.email}`).replaceAll("-", "").slice(0, 16);
      return {
        "@odata.context": `${CONTEXT}#Collection(driveItem)`,
        value: files.slice(0, top).map(([name, mimeType], index) => ({
          id: `${driveId.toUpperCase()}!${101 + index}`,
          name: `${firstName}'s ${name}`,
          webUrl: `https://onedrive.example/${driveId}/${encodeURIComponent(name)}`,
          lastModifiedDateTime: new Date(Date.UTC(2026, 10, 20 - index, 9, 30)).toISOString().replace(/\.\d+Z$/, "Z"),
          size: 20_480 * (index + 1),
          file: { mimeType },
          parentReference: { driveId, driveType: personal ? "personal" : "business" },
        })),
      };
    }
    default: {
      const start = Math.ceil(Date.now() / day) * day;
      const subjects = ["Standup", "Sprint review", "Customer call", "1:1", "All hands"];
      const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, ".0000000");
      return {
        "@odata.context": `${CONTEXT}#users('${microsoftObjectId(user.email)}')/events`,
        value: subjects.slice(0, top).map((subject, index) => ({
          id: `AAMkAD${index + 1}`,
          subject,
          isAllDay: false,
          start: { dateTime: graphTime(start + index * day + 9 * 3600 * 1000), timeZone: "UTC" },
          end: { dateTime: graphTime(start + index * day + 10 * 3600 * 1000), timeZone: "UTC" },
          location: { displayName: index % 2 ? "Teams" : "Room 4" },
          organizer: { emailAddress: { name: user.name, address: user.email } },
          webLink: `https://outlook.example/calendar/item/AAMkAD${index + 1}`,
        })),
      };
    }
  }
}
