// `npm run tokens:key`: prints a new TOKEN_ENCRYPTION_KEY entry. To rotate, put it first:
//   TOKEN_ENCRYPTION_KEY="<new entry>,<old entries>"
import { generateKeyEntry } from "../lib/connected-accounts/token-crypto";

const id = process.argv[2] ?? `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`;
console.log(generateKeyEntry(id));
