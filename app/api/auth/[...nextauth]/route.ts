import { handlers } from "@/lib/auth";
import { headNotAllowed } from "@/lib/http";

export const { GET, POST } = handlers;
// Not Auth.js's GET: a HEAD to its callback would sign in, and Auth.js answers a HEAD it does not
// know with a 400 and an error in the log (uptime checkers send them; /api/health is theirs).
export const HEAD = headNotAllowed("GET, POST");
