import pg from "pg";
import { startAppServer } from "./lib/app-server";
import { insertSession } from "./lib/test-session";
import { startTestStack } from "./lib/test-stack";
const stack = await startTestStack("probe");
const app = await startAppServer(stack.env);
const client = new pg.Client({ connectionString: stack.database.url });
await client.connect();
const [user] = (await client.query<{ id: string }>(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'o@example.com', now()) RETURNING id`)).rows;
const cookie = await insertSession(client, user!.id);
await client.end();
const before = app.output().length;
await stack.database.restart(async () => {
  for (const path of ["/settings", "/", "/settings/connected-accounts", "/api/auth/session"]) {
    const r = await fetch(app.url + path, { headers: { cookie: `authjs.session-token=${cookie}` } });
    console.log("STATUS", path, r.status);
    await r.text();
    console.log("----LOG\n" + app.output().slice(before));
  }
});
for (const m of ["HEAD", "GET"]) { const r = await fetch(app.url + "/api/auth/providers", { method: m }); console.log(m, r.status); }
console.log("----LOG2\n" + app.output().slice(before));
await app.stop(); await stack.stop();
