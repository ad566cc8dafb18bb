import { handlers } from "@/lib/auth";
import { headNotAllowed } from "@/lib/connected-accounts";

export const { GET, POST } = handlers;
// Not Auth.js's GET: a HEAD to its callback would sign in.
export const HEAD = headNotAllowed("GET, POST");
